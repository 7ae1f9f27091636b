//! Shapes of field values for the JSON Schemas.
//!
//! The raw structs keep every value as text so that problems can name a
//! line and column; these types stand in for those values in the schemas
//! (`#[schemars(with = "...")]`), saying what the text must look like. The
//! checks in [`super::FieldChecker`] remain the authority: a schema is what
//! an editor can tell a contributor while they type.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

/// Declares a type that exists only for its schema.
macro_rules! shape {
    ($(#[$meta:meta])* $name:ident => $schema:tt) => {
        $(#[$meta])*
        pub struct $name;

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

shape! {
    /// A slug: lower-case letters, digits and single hyphens.
    Slug => {
        "type": "string",
        "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
        "maxLength": 64
    }
}

shape! {
    /// An http or https address.
    WebUrl => {
        "type": "string",
        "format": "uri",
        "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+"
    }
}

shape! {
    /// A calendar date, `YYYY-MM-DD`.
    Day => {
        "type": "string",
        "format": "date",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    }
}

shape! {
    /// A free lower-case word such as a tag or a platform.
    Token => {
        "type": "string",
        "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
        "maxLength": 40
    }
}

shape! {
    /// An ISO 3166-1 alpha-2 country code in upper case.
    Country => {
        "type": "string",
        "pattern": "^[A-Z]{2}$"
    }
}

shape! {
    /// `incident_classes`: `[any]`, or RSIT class slugs.
    IncidentScope => {
        "type": "array",
        "minItems": 1,
        "uniqueItems": true,
        "items": {
            "type": "string",
            "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"
        }
    }
}

shape! {
    /// An answer's `score`: 1 to 4, a letter A to F, or `not-assessed`.
    Score => {
        "oneOf": [
            { "type": "integer", "minimum": 1, "maximum": 4, "description": "1 Poor, 2 Fair, 3 Good, 4 Excellent" },
            { "type": "string", "enum": ["1", "2", "3", "4"] },
            { "type": "string", "enum": ["A", "B", "C", "D", "E", "F"], "description": "Admiralty source reliability" },
            { "const": "not-assessed", "description": "not looked at; say why in `why`" }
        ]
    }
}

shape! {
    /// A graded criterion's `levels`: what each score 1 to 4 means.
    Levels => {
        "type": "object",
        "properties": {
            "1": { "type": "string" },
            "2": { "type": "string" },
            "3": { "type": "string" },
            "4": { "type": "string" }
        },
        "required": ["1", "2", "3", "4"],
        "additionalProperties": false
    }
}

shape! {
    /// A letter criterion's `letters`: what each letter A to F means.
    Letters => {
        "type": "object",
        "properties": {
            "A": { "type": "string" },
            "B": { "type": "string" },
            "C": { "type": "string" },
            "D": { "type": "string" },
            "E": { "type": "string" },
            "F": { "type": "string" }
        },
        "required": ["A", "B", "C", "D", "E", "F"],
        "additionalProperties": false
    }
}
