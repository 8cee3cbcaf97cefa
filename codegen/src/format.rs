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

/// Puts a blank line between consecutive items (at the top level, in modules and inside `impl`
/// and trait blocks), which `prettyplease` does not, so that the output reads like hand-written
/// code.
#[cfg(feature = "format")]
fn space_items(code: &str) -> String {
    /// What the block opened at a given depth holds.
    #[derive(Clone, Copy, PartialEq)]
    enum Block {
        /// The file or a `mod`: items end with `}` or `;`.
        Module,
        /// An `impl` or a trait: a `;` ends an associated const or type; consecutive ones stay
        /// together, a function after them is set apart.
        Impl,
        /// Anything else (a function body, a struct, an expression): left as it is.
        Other,
    }
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut blocks = vec![Block::Module];
    let mut prev = "";
    for line in code.lines() {
        let indent = line.len() - line.trim_start().len();
        let t = line.trim_start();
        let starts_item = !t.starts_with('}') && !t.starts_with(')') && !t.is_empty();
        let prev_indent = prev.len() - prev.trim_start().len();
        let block =
            if indent % 4 == 0 { blocks.get(indent / 4).copied().unwrap_or(Block::Other) } else { Block::Other };
        // A function, or a macro that expands to items.
        let starts_fn = t.starts_with("///") || t.starts_with("#[") || t.contains("fn ") || t.ends_with("!();");
        let prev_closes = matches!(prev.trim_start(), "}" | "};")
            || (block == Block::Module && (prev.ends_with(';') || prev.ends_with("{}")))
            || (block == Block::Impl && prev.ends_with(';') && starts_fn);
        if starts_item && block != Block::Other && prev_indent == indent && prev_closes {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        if t.ends_with('{') && indent % 4 == 0 {
            let opened = if t.starts_with("mod ") || t.starts_with("pub mod ") {
                Block::Module
            } else if t.starts_with("impl") || t.starts_with("unsafe impl") || t.contains("trait ") {
                Block::Impl
            } else {
                Block::Other
            };
            blocks.truncate(indent / 4 + 1);
            blocks.push(opened);
        }
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
