//! [`Nillable`]: an optional element that may also be sent as `xsi:nil="true"`.

/// The value of an element that the schema allows to be left out (`minOccurs="0"`) *and*
/// to be sent empty with `xsi:nil="true"` (`nillable="true"`): two different things on the wire.
///
/// Build one from a value with `.into()`: `display_value: "x".into()`.
///
/// ```
/// use wsdlgen_runtime::Nillable;
///
/// // A generated struct has such fields (`minOccurs="0" nillable="true"` in the schema).
/// #[derive(Default)]
/// struct Person { nickname: Nillable<String>, age: Nillable<i32> }
///
/// let sent = Person { nickname: "Bob".into(), age: Nillable::Nil, ..Default::default() };
/// assert_eq!(sent.nickname.value().map(String::as_str), Some("Bob")); // <nickname>Bob</nickname>
/// assert!(sent.age.is_nil()); // <age xsi:nil="true"/>
/// assert!(Person::default().age.is_absent()); // no <age> element at all
///
/// // From an `Option`, `None` is an explicit nil.
/// let unknown: Option<i32> = None;
/// assert_eq!(Nillable::<i32>::from(unknown), Nillable::Nil);
/// assert_eq!(Nillable::<i32>::from(Some(42)).map(|a| a + 1).into_option(), Some(43));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Nillable<T> {
    /// The element is not sent.
    #[default]
    Absent,
    /// The element is sent as `<x xsi:nil="true"/>`.
    Nil,
    /// The element is sent with this value.
    Value(T),
}

impl<T> Nillable<T> {
    /// The value, if there is one (`Absent` and `Nil` both give `None`).
    pub fn value(&self) -> Option<&T> {
        match self {
            Nillable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, if there is one (`Absent` and `Nil` both give `None`).
    pub fn into_option(self) -> Option<T> {
        match self {
            Nillable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// A reference to the value, keeping the three states.
    pub fn as_ref(&self) -> Nillable<&T> {
        match self {
            Nillable::Absent => Nillable::Absent,
            Nillable::Nil => Nillable::Nil,
            Nillable::Value(v) => Nillable::Value(v),
        }
    }

    /// Whether the element is left out.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nillable::Absent)
    }

    /// Whether the element is sent as `xsi:nil`.
    pub fn is_nil(&self) -> bool {
        matches!(self, Nillable::Nil)
    }

    /// Applies `f` to the value, keeping `Absent` and `Nil`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nillable<U> {
        match self {
            Nillable::Absent => Nillable::Absent,
            Nillable::Nil => Nillable::Nil,
            Nillable::Value(v) => Nillable::Value(f(v)),
        }
    }
}

impl<T> From<T> for Nillable<T> {
    fn from(value: T) -> Self {
        Nillable::Value(value)
    }
}

impl From<&str> for Nillable<String> {
    fn from(value: &str) -> Self {
        Nillable::Value(value.to_owned())
    }
}

impl<T> From<Option<T>> for Nillable<T> {
    /// `None` becomes `Nil`: an explicit null.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Nillable::Value(v),
            None => Nillable::Nil,
        }
    }
}
