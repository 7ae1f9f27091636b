//! How long each stage of a build took, for `--timings`.

use std::time::{Duration, Instant};

/// The stages of one run, in order, with their durations.
#[derive(Debug)]
pub struct Timings {
    /// When the run started.
    started: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Default for Timings {
    /// Timings of a run that starts now.
    fn default() -> Self {
        Timings { started: Instant::now(), stages: Vec::new() }
    }
}

impl Timings {
    /// Runs `work` as the stage `name`, recording how long it took.
    pub fn time<T>(&mut self, name: &'static str, work: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let result = work();
        self.stages.push((name, started.elapsed()));
        result
    }

    /// Records that the stage `name` took `duration` (a stage timed with
    /// [`timed`], for example while another ran beside it).
    pub fn record(&mut self, name: &'static str, duration: Duration) {
        self.stages.push((name, duration));
    }

    /// The stages as a table, one line each, with the time since the run
    /// started. Stages that ran side by side (the index and the exports)
    /// each count their own time, so the shares can add up to more than
    /// 100 %.
    pub fn report(&self) -> String {
        let total = self.started.elapsed();
        let mut text = String::new();
        for (name, duration) in &self.stages {
            let share = if total.is_zero() {
                0.0
            } else {
                100.0 * duration.as_secs_f64() / total.as_secs_f64()
            };
            text.push_str(&format!(
                "{name:>10}  {:>9.1} ms  {share:>5.1} %\n",
                duration.as_secs_f64() * 1000.0
            ));
        }
        text.push_str(&format!("{:>10}  {:>9.1} ms\n", "total", total.as_secs_f64() * 1000.0));
        text
    }
}

/// Runs `work` and says how long it took.
pub fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let result = work();
    (result, started.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_reported_in_order_with_a_total() {
        let mut timings = Timings::default();
        let value = timings.time("load", || 7);
        timings.time("write", || std::thread::sleep(Duration::from_millis(2)));
        assert_eq!(value, 7);
        let report = timings.report();
        let names: Vec<&str> =
            report.lines().map(|l| l.split_whitespace().next().unwrap()).collect();
        assert_eq!(names, ["load", "write", "total"]);
    }
}
