//! The search box driven by a keyboard, through ChromeDriver (WebDriver):
//! typing shows results, arrow keys move through them, Escape clears.
//! Skips loudly without ChromeDriver, like the other browser tests, and
//! fails without it when `COMMONS_REQUIRE_BROWSER` is set.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::browser::{chromium, missing, on_path};
use super::*;

/// A running ChromeDriver, stopped when dropped.
pub struct Driver {
    child: Child,
    port: u16,
    session: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = request(self.port, "DELETE", &format!("/session/{}", self.session), None);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One WebDriver request over plain HTTP/1.1 on 127.0.0.1.
fn request(port: u16, method: &str, path: &str, body: Option<Value>) -> std::io::Result<Value> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    // Read the head, then exactly Content-Length bytes of body: ChromeDriver
    // may keep the connection open.
    let mut reader = std::io::BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        std::io::BufRead::read_line(&mut reader, &mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(serde_json::from_slice(&body).unwrap_or(Value::Null))
}

pub fn start(browser: &Path) -> Option<Driver> {
    let binary =
        on_path("chromedriver").or_else(|| missing("ChromeDriver", "install `chromium-driver`"))?;
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let child = Command::new(binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let profile = tempfile::tempdir().unwrap().keep();
    let capabilities = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
        "binary": browser.to_string_lossy(),
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 format!("--user-data-dir={}", profile.display())]
    }}}});
    let mut child = child;
    let answer = match request(port, "POST", "/session", Some(capabilities)) {
        Ok(answer) => answer,
        Err(error) => {
            let _ = child.kill();
            panic!("chromedriver did not answer: {error}");
        }
    };
    let session = answer["value"]["sessionId"].as_str().expect("a WebDriver session").to_string();
    Some(Driver { child, port, session })
}

impl Driver {
    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        request(self.port, method, &format!("/session/{}{path}", self.session), body).unwrap()["value"].clone()
    }

    pub fn script(&self, code: &str) -> Value {
        self.call("POST", "/execute/sync", Some(json!({"script": code, "args": []})))
    }

    /// Waits until `code` returns something truthy; panics after 10 s.
    pub fn wait_for(&self, code: &str, what: &str) -> Value {
        let started = Instant::now();
        loop {
            let value = self.script(code);
            if !(value.is_null()
                || value == json!(false)
                || value == json!(0)
                || value == json!(""))
            {
                return value;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn type_into_focused(&self, text: &str) {
        let element = self.call("GET", "/element/active", None);
        let id = element
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(|v| v.as_str())
            .unwrap()
            .to_string();
        self.call("POST", &format!("/element/{id}/value"), Some(json!({"text": text})));
    }
}

#[test]
fn keyboard_moves_through_results_and_escape_clears() {
    let Some(browser) = chromium() else { return };
    let Some(driver) = start(&browser) else { return };
    let (_dir, site) = build(&fixture("valid"), &[]);
    driver.call(
        "POST",
        "/url",
        Some(json!({"url": format!("file://{}/entry/phish-feed.html", site.display())})),
    );
    driver.script("document.getElementById('cc-q').focus(); return true;");
    driver.type_into_focused("sand");
    let shown = driver
        .wait_for("return document.querySelectorAll('.cc-search__results li').length", "results");
    assert_eq!(shown, json!(1));
    assert!(
        driver
            .script("return document.querySelector('.cc-search__results').textContent")
            .as_str()
            .unwrap()
            .contains("Sample Sandbox")
    );

    // Arrow down focuses the first result; arrow up returns to the box.
    driver.type_into_focused("\u{E015}");
    let focused = driver.script("return document.activeElement.getAttribute('href')");
    assert!(focused.as_str().unwrap().ends_with("entry/sample-sandbox.html"), "{focused}");
    driver.type_into_focused("\u{E013}");
    assert_eq!(driver.script("return document.activeElement.id"), json!("cc-q"));

    // Escape clears the box and the results.
    driver.type_into_focused("\u{E00C}");
    assert_eq!(driver.script("return document.getElementById('cc-q').value"), json!(""));
    assert_eq!(
        driver.script("return document.querySelectorAll('.cc-search__results li').length"),
        json!(0)
    );

    // A newer query's answer is the one that stays.
    driver.type_into_focused("phish");
    driver.wait_for("return document.querySelectorAll('.cc-search__results li').length", "results");
    let text = driver.script("return document.querySelector('.cc-search__results').textContent");
    assert!(
        text.as_str().unwrap().contains("Phish Feed")
            && !text.as_str().unwrap().contains("Sandbox"),
        "{text}"
    );
}

#[test]
fn a_slow_answer_to_an_older_query_never_replaces_a_newer_one() {
    let Some(browser) = chromium() else { return };
    let Some(driver) = start(&browser) else { return };
    let (_dir, site) = build(&fixture("valid"), &[]);
    // The chunk for words starting with "sa" arrives a second and a half late.
    let base = super::search::serve_slowly(site, Some("/search/t/7361"));
    driver.call("POST", "/url", Some(json!({"url": format!("{base}entry/phish-feed.html")})));
    driver.script("document.getElementById('cc-q').focus(); return true;");
    driver.type_into_focused("sand");
    std::thread::sleep(Duration::from_millis(300));
    driver.script("document.getElementById('cc-q').value = ''; return true;");
    driver.type_into_focused("phish");
    driver.wait_for("return document.querySelectorAll('.cc-search__results li').length", "results");
    // Let the slow answer for "sand" arrive, then look again.
    std::thread::sleep(Duration::from_millis(2500));
    let text = driver.script("return document.querySelector('.cc-search__results').textContent");
    let text = text.as_str().unwrap();
    assert!(text.contains("Phish Feed") && !text.contains("Sample Sandbox"), "{text}");
}
