//! What the benchmarks share: a counting global allocator, the SaveCredential request and
//! headers, and realistic WCF-style response envelopes built as text (not by our encoder, so
//! the decoder is not measured on its own writer's output).
#![allow(dead_code)] // each bench binary uses a part of it

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering::Relaxed};

use services87::runtime::Nillable;
use services87::user::{
    Credential, CredentialControlType, CredentialType, SaveCredential, SoCredentials, SoTimeZone, UserRequestHeaders,
};

// ---------------------------------------------------------------------------------------------
// counting allocator
// ---------------------------------------------------------------------------------------------

/// The system allocator, counting allocation calls (`alloc` and `realloc`) and the peak of
/// live heap bytes, while [`count_allocations`] runs (otherwise it only reads one flag, so that
/// the timed benchmarks pay next to nothing for it). Relaxed atomics: the figures are read on the
/// thread that did the work.
pub struct CountingAlloc;

static ENABLED: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
/// Bytes allocated minus bytes freed since counting started (negative when older memory is freed).
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grow(bytes: usize) {
    let live = LIVE.fetch_add(bytes as isize, Relaxed) + bytes as isize;
    PEAK.fetch_max(live, Relaxed);
}

fn shrink(bytes: usize) {
    LIVE.fetch_sub(bytes as isize, Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds `GlobalAlloc`'s contract;
// the counters are plain atomics and never touch the memory handed out. A global allocator can
// only be written with `unsafe impl`: this one exists to count allocations in the benchmarks.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if ENABLED.load(Relaxed) {
            ALLOCATIONS.fetch_add(1, Relaxed);
            grow(layout.size());
        }
        // SAFETY: same layout, forwarded to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if ENABLED.load(Relaxed) {
            ALLOCATIONS.fetch_add(1, Relaxed);
            grow(layout.size());
        }
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ENABLED.load(Relaxed) {
            shrink(layout.size());
        }
        // SAFETY: `ptr` was allocated by `System` with this layout (through this allocator).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged; `ptr` and `layout` come from this allocator.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() && ENABLED.load(Relaxed) {
            ALLOCATIONS.fetch_add(1, Relaxed);
            if new_size >= layout.size() {
                grow(new_size - layout.size());
            } else {
                shrink(layout.size() - new_size);
            }
        }
        p
    }
}

/// Allocation figures of one piece of work.
#[derive(Debug, Clone, Copy)]
pub struct AllocStats {
    /// Calls to `alloc`, `alloc_zeroed` and `realloc`.
    pub allocations: usize,
    /// The most heap bytes it held at once beyond what was allocated before it started.
    pub peak_growth: usize,
}

/// Runs `f` and counts what it allocated (run it on one thread, with nothing else allocating).
pub fn count_allocations<T>(f: impl FnOnce() -> T) -> (T, AllocStats) {
    ALLOCATIONS.store(0, Relaxed);
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    ENABLED.store(true, Relaxed);
    let out = f();
    ENABLED.store(false, Relaxed);
    let stats = AllocStats { allocations: ALLOCATIONS.load(Relaxed), peak_growth: PEAK.load(Relaxed).max(0) as usize };
    (out, stats)
}

// ---------------------------------------------------------------------------------------------
// SaveCredential request
// ---------------------------------------------------------------------------------------------

pub const USER_ID: i32 = 42;

/// The credential a client saves: the shape of SuperOffice's documented example, with values.
pub fn credential() -> Credential {
    Credential {
        r#type: CredentialType {
            display_type: "Password".into(),
            r#type: "password".into(),
            description: "Log in with a user name and a password stored in SuperOffice CRM".into(),
            value_control: Some(CredentialControlType::Password),
            can_create_person: Some(false),
            is_user_name_supported: Some(true),
            ..Default::default()
        }
        .into(),
        value: "n3w-S3cret & <safe>".into(),
        display_value: "********".into(),
        ..Default::default()
    }
}

pub fn save_credential_request() -> SaveCredential {
    SaveCredential { user_id: Some(USER_ID), credential: Nillable::Value(credential()) }
}

/// The three header entries every User operation declares, all set.
pub fn request_headers() -> UserRequestHeaders {
    UserRequestHeaders {
        application_token: Some("1234567-1234-9876".into()),
        credentials: Some(SoCredentials { ticket: "7T:1234abcxyzExample==".into() }),
        time_zone: Some(SoTimeZone { so_time_zone_id: Some(37), so_time_zone_location_code: "NOOSL".into() }),
    }
}

// ---------------------------------------------------------------------------------------------
// responses
// ---------------------------------------------------------------------------------------------

pub const NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services87";
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// A WCF SaveCredential response with the four User response headers and a diagnostics header
/// nobody asked for (the fixture of the HTTP tests).
pub const SAVE_CREDENTIAL_RESPONSE: &str = include_str!("../../fixtures/services87/save_credential_response_true.xml");

/// WCF's response header block (as in the SaveCredential fixture, written compactly like WCF).
fn response_headers(out: &mut String) {
    write!(
        out,
        concat!(
            "<s:Header>",
            r#"<h:ExceptionInfo i:nil="true" xmlns:h="{ns}" xmlns:i="{xsi}"/>"#,
            r#"<h:ExtraInfo xmlns:h="{ns}" xmlns="{ns}" xmlns:i="{xsi}">"#,
            "<ExtraInfoNameValuePair><Key>ServerVersion</Key><Value>10.3.7</Value></ExtraInfoNameValuePair>",
            r#"<ExtraInfoNameValuePair><Key>Note</Key><Value i:nil="true"/></ExtraInfoNameValuePair>"#,
            "</h:ExtraInfo>",
            r#"<h:Succeeded xmlns:h="{ns}">true</h:Succeeded>"#,
            r#"<h:TimeZone xmlns:h="{ns}" xmlns="{ns}" xmlns:i="{xsi}">"#,
            "<SoTimeZoneId>37</SoTimeZoneId><SoTimeZoneLocationCode>NOOSL</SoTimeZoneLocationCode>",
            "</h:TimeZone>",
            r#"<ActivityId CorrelationId="5c1f3f0e-8a4b-4e3f-9d6e-2f1a7b9c0d11" xmlns="http://schemas.microsoft.com/2004/09/ServiceModel/Diagnostics">0b7d6c2e-1f4a-4c8b-a3d9-6e5f4a3b2c1d</ActivityId>"#,
            "</s:Header>"
        ),
        ns = NS,
        xsi = XSI
    )
    .unwrap();
}

/// One `FieldPropertyDictionaryKeyValuePair` entry.
fn field_property(out: &mut String, key: &str, mask: &str, nil_reason: bool) {
    out.push_str("<FieldPropertyDictionaryKeyValuePair><Key>");
    out.push_str(key);
    out.push_str("</Key><Value><FieldRight><Mask>");
    out.push_str(mask);
    out.push_str(if nil_reason { r#"</Mask><Reason i:nil="true"/>"# } else { "</Mask><Reason/>" });
    out.push_str("</FieldRight><FieldType>System.String</FieldType><FieldLength>255</FieldLength></Value>");
    out.push_str("</FieldPropertyDictionaryKeyValuePair>");
}

/// One `CredentialType` item as WCF writes it: every field present, a table right, `fields`
/// field properties, and a description as long as it takes to make the item `item_bytes` long
/// (at least 396 bytes without field property, 625 with one).
fn credential_type_item(out: &mut String, i: usize, fields: usize, item_bytes: usize) {
    let start = out.len();
    out.push_str("<CredentialType><TableRight><Mask>Select Update Insert Delete</Mask><Reason/></TableRight>");
    out.push_str("<FieldProperties>");
    for f in 0..fields {
        match f % 2 {
            0 => field_property(out, "Value", "Read Write", false),
            _ => field_property(out, "DisplayValue", "Read", true),
        }
    }
    out.push_str("</FieldProperties><DisplayType>Password</DisplayType>");
    write!(out, "<Type>password-{i:06}</Type><Description>Log in with a password &amp; a user name").unwrap();
    const TAIL: &str = concat!(
        "</Description><ValueControl>Password</ValueControl><CanCreatePerson>false</CanCreatePerson>",
        "<IsUserNameSupported>true</IsUserNameSupported></CredentialType>"
    );
    const FILLER: &str = " stored in SuperOffice CRM, checked by NetServer on every login to the web client";
    let mut filler = FILLER.chars().cycle();
    while out.len() - start + TAIL.len() < item_bytes {
        out.push(filler.next().unwrap());
    }
    out.push_str(TAIL);
}

/// Bytes of one item of [`get_credential_types_response`]: 100 items make the 63 KB response
/// of the issue's table.
pub const ITEM_BYTES: usize = 630;

/// A WCF GetCredentialTypes response envelope with `items` credential types of `item_bytes`
/// each (one field property each; none if `item_bytes` is under 630), after the usual response
/// headers.
pub fn get_credential_types_response(items: usize, item_bytes: usize) -> Vec<u8> {
    let fields = usize::from(item_bytes >= 630);
    let mut out = String::with_capacity(2048 + items * item_bytes);
    out.push_str(r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">"#);
    response_headers(&mut out);
    write!(out, r#"<s:Body><GetCredentialTypesResponse xmlns="{NS}"><Response xmlns:i="{XSI}">"#).unwrap();
    for i in 0..items {
        credential_type_item(&mut out, i, fields, item_bytes);
    }
    out.push_str("</Response></GetCredentialTypesResponse></s:Body></s:Envelope>");
    out.into_bytes()
}
