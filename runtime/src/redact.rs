//! [`Redacted`]: how generated `Debug` impls print secrets.

use std::fmt;

/// Prints as `<redacted>` in `Debug` output, whatever it wraps: generated `Debug` impls use it
/// for passwords, tickets, tokens and other fields marked secret, so that logging a request or
/// an error never shows them.
pub struct Redacted<'a, T: ?Sized>(pub &'a T);

impl<T: ?Sized> fmt::Debug for Redacted<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
