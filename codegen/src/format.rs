//! Stage 4: the emitted tokens as the text of a Rust file.

use proc_macro2::TokenStream;

use crate::Error;

/// Formats a token stream as a Rust file with `prettyplease`, items separated by blank lines.
#[cfg(feature = "format")]
pub(crate) fn format_tokens(tokens: TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Format(e.to_string()))?;
    Ok(space_items(&prettyplease::unparse(&file)))
}

/// Without the `format` feature the tokens are written as they are.
#[cfg(not(feature = "format"))]
pub(crate) fn format_tokens(tokens: TokenStream) -> Result<String, Error> {
    Ok(tokens.to_string())
}

/// Puts a blank line between consecutive items (top level and inside `impl` blocks), which
/// `prettyplease` does not, so that the output reads like hand-written code.
#[cfg(feature = "format")]
fn space_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut prev = "";
    for line in code.lines() {
        let indent = line.len() - line.trim_start().len();
        let starts_item = {
            let t = line.trim_start();
            !t.starts_with('}') && !t.starts_with(')') && !t.is_empty()
        };
        let prev_indent = prev.len() - prev.trim_start().len();
        // An item ends with `}` on its own line, with `{}` (an empty `impl`), or (at the top
        // level: consts, uses, aliases) with `;`. Inside an `impl`, a `;` ends an associated
        // const or type: consecutive ones stay together, a function after them is set apart.
        let t = line.trim_start();
        let starts_fn = t.starts_with("///") || t.starts_with("#[") || t.contains("fn ");
        let prev_closes = matches!(prev.trim_start(), "}" | "};")
            || (prev_indent == 0 && (prev.ends_with(';') || prev.ends_with("{}")))
            || (prev_indent == 4 && prev.ends_with(';') && starts_fn);
        if starts_item && (indent == 0 || indent == 4) && prev_indent == indent && prev_closes {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        prev = line;
    }
    out
}

#[cfg(all(test, feature = "format"))]
mod tests {
    use super::*;

    #[test]
    fn items_get_a_blank_line_between_them_and_nothing_else_does() {
        let code = format_tokens(quote::quote! {
            use a::b;
            const X: u8 = 1;
            struct S;
            impl S {
                fn f() {
                    a();
                }
                fn g() {
                    let x = 1;
                    let y = 2;
                }
            }
        })
        .unwrap();
        assert_eq!(
            code,
            "use a::b;\n\nconst X: u8 = 1;\n\nstruct S;\n\nimpl S {\n    fn f() {\n        a();\n    }\n\n    fn g() {\n        let x = 1;\n        let y = 2;\n    }\n}\n"
        );
    }

    #[test]
    fn tokens_that_are_not_rust_are_a_format_error() {
        assert!(matches!(format_tokens(quote::quote!(fn {})), Err(Error::Format(_))));
    }
}
