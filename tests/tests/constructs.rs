//! Attributes, simple content and choices (`tests/wsdl/constructs.wsdl`): compiled, round-tripped,
//! and the encoded XML validated by xmllint against the fixture's own schema.

mod constructs {
    include!("../snapshots/constructs.rs");
}

use constructs::*;
use wsdlgen_runtime::Encode;
use wsdlgen_runtime::codegen::{XmlWriter, xml::from_xml};
use wsdlgen_tests::support::schema::WsdlSchemas;

fn schemas() -> WsdlSchemas {
    WsdlSchemas::from_wsdl(concat!(env!("CARGO_MANIFEST_DIR"), "/wsdl/constructs.wsdl"))
        .expect("fixture schemas compile")
}

fn encode<T: Encode>(value: &T, tag: &str) -> Vec<u8> {
    let mut w = XmlWriter::new();
    w.declare_on_next(NAMESPACES);
    value.encode(&mut w, tag);
    w.into_inner()
}

fn order() -> Order {
    Order {
        id: 7,
        priority: Priority::High,
        comment: Some("fragile \"glass\" & <stuff>\n\ttabs".into()),
        lang: Some("nb-NO".into()),
        created_by: Some("me".into()),
        version: 3,
        total: Money { currency: "NOK".into(), value: "12.50".parse().unwrap() },
        choice: OrderChoice::Voucher(Some(Voucher { code: "V-1".into() })),
        choice2: vec![
            OrderChoice2::Note("first".into()),
            OrderChoice2::Tag(Tag { weight: Some(0.5), value: Priority::Low }),
            OrderChoice2::Note("second".into()),
        ],
        line: vec![Line {
            sku: "A-1".into(),
            amount: DetailedMoney {
                currency: "EUR".into(),
                rate: Some("1.1".parse().unwrap()),
                value: "3".parse().unwrap(),
            },
        }],
        // Polymorphism through xsi:type: an abstract base and a concrete one.
        payment: vec![
            CardPayment { amount: "10".parse().unwrap(), last4: "4242".into() }.into(),
            TransferPayment { amount: "2.5".parse().unwrap(), iban: "NO93".into(), instant: Some(true) }.into(),
        ],
        fee: Some(LateFee { amount: "1".parse().unwrap(), days: 3 }.into()),
        delivery: Some(Delivery {
            choice: DeliveryChoice::Sequence1(DeliverySequence1 { street: "Main St 1".into(), city: None }),
            choice2: vec![
                DeliveryChoice2::Sequence1(DeliverySequence1_2 { key: "a".into(), val: Some("1".into()) }),
                DeliveryChoice2::Sequence1(DeliverySequence1_2 { key: "b".into(), val: None }),
                DeliveryChoice2::Flag("f".into()),
                DeliveryChoice2::Sequence1(DeliverySequence1_2 { key: "c".into(), val: Some("3".into()) }),
            ],
            signed: true,
        }),
        condition: Some(Condition {
            op: "lt".into(),
            choice: ConditionChoice::Choice1(ConditionChoice1 {
                choice: vec![ConditionChoice1Choice::NumberField("price".into()), ConditionChoice1Choice::Number(9.5)],
            }),
        }),
        // Recursion through a choice: -(1 + 2).
        discount: Some(Expr {
            choice: ExprChoice::Negate(Box::new(Expr {
                choice: ExprChoice::Sum(Pair {
                    left: Box::new(Expr { choice: ExprChoice::Literal("1".parse().unwrap()) }),
                    right: Box::new(Expr { choice: ExprChoice::Literal("2".parse().unwrap()) }),
                }),
            })),
        }),
    }
}

#[test]
fn orders_round_trip_and_validate() {
    let schemas = schemas();
    let cases = [
        order(),
        Order { choice: OrderChoice::CardNumber("4111".into()), choice2: vec![], comment: None, ..order() },
        Order { choice: OrderChoice::Voucher(None), ..order() },
    ];
    for value in cases {
        let request = Submit { order: value };
        let xml = encode(&request, "n0:Submit");
        if let Err(e) = schemas.validate(&xml) {
            panic!("xmllint rejects {}:\n{e}", String::from_utf8_lossy(&xml));
        }
        let back: Submit = from_xml(&xml, NS0, "Submit").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, request);
    }
}

#[test]
fn wire_form_of_attributes_simple_content_and_choices() {
    let xml = String::from_utf8(encode(&Submit { order: order() }, "n0:Submit")).unwrap();
    for part in [
        r#"<n0:Order id="7" priority="high" comment="fragile &quot;glass&quot; &amp; &lt;stuff&gt;&#xA;&#x9;tabs""#,
        r#"n0:lang="nb-NO""#,
        r#"createdBy="me" version="3">"#,
        r#"<n0:Total currency="NOK">12.50</n0:Total>"#,
        r#"<n0:Voucher><n0:Code>V-1</n0:Code></n0:Voucher>"#,
        r#"<n0:Note>first</n0:Note><n0:Tag weight="0.5">low</n0:Tag><n0:Note>second</n0:Note>"#,
    ] {
        assert!(xml.contains(part), "{part}\nnot in\n{xml}");
    }
}

#[test]
fn attribute_defaults_apply_when_absent() {
    let xml = br#"<Submit xmlns="urn:constructs"><Order id="1"><Total currency="X">1</Total><Iban>NO93</Iban></Order></Submit>"#;
    let back: Submit = from_xml(xml, NS0, "Submit").unwrap();
    assert_eq!(back.order.priority, Priority::Normal);
    assert_eq!(back.order.version, 1);
    assert_eq!(back.order.comment, None);
    assert_eq!(back.order.choice, OrderChoice::Iban("NO93".into()));
}

#[test]
fn missing_required_attribute_and_choice_are_errors_with_paths() {
    let no_id =
        br#"<Submit xmlns="urn:constructs"><Order><Total currency="X">1</Total><Iban>x</Iban></Order></Submit>"#;
    let e = from_xml::<Submit>(no_id, NS0, "Submit").unwrap_err().to_string();
    assert!(e.contains("Submit/Order/@id") && e.contains("required attribute `id`"), "{e}");
    let no_choice = br#"<Submit xmlns="urn:constructs"><Order id="1"><Total currency="X">1</Total></Order></Submit>"#;
    let e = from_xml::<Submit>(no_choice, NS0, "Submit").unwrap_err().to_string();
    assert!(e.contains("Submit/Order/CardNumber | Iban | Voucher"), "{e}");
    let two = br#"<Submit xmlns="urn:constructs"><Order id="1"><Total currency="X">1</Total><Iban>a</Iban><CardNumber>b</CardNumber></Order></Submit>"#;
    let e = from_xml::<Submit>(two, NS0, "Submit").unwrap_err().to_string();
    assert!(e.contains("appears more than once"), "{e}");
}

#[test]
fn soap12_binding_and_secret_attributes() {
    assert_eq!(OrdersClient::SOAP_VERSION, wsdlgen_runtime::SoapVersion::Soap12);
    let receipt = Receipt { accepted: true, secret_token: Some("hunter2".into()) };
    let debug = format!("{receipt:?}");
    assert!(!debug.contains("hunter2") && debug.contains("<redacted>"), "{debug}");
}

#[tokio::test]
async fn declared_faults_decode_into_the_operation_fault_enum() {
    use wsdlgen_tests::support::http::{Response, TestServer};
    let fault = |detail: &str| {
        format!(
            r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault>
<env:Code><env:Value>env:Sender</env:Value></env:Code><env:Reason><env:Text xml:lang="en">rejected</env:Text></env:Reason>
<env:Detail>{detail}</env:Detail></env:Fault></env:Body></env:Envelope>"#
        )
    };
    let server = TestServer::start(move |req| {
        let body = if req.body_text().contains(r#"id="1""#) {
            fault(
                r#"<c:OrderRejected xmlns:c="urn:constructs" code="7"><c:Reason>no money</c:Reason></c:OrderRejected>"#,
            )
        } else if req.body_text().contains(r#"id="2""#) {
            fault(r#"<OutOfStock xmlns="urn:constructs" sku="X"><Amount currency="EUR">1</Amount></OutOfStock>"#)
        } else {
            fault(r#"<other xmlns="urn:elsewhere"/>"#)
        };
        Response::new(500, "application/soap+xml; charset=utf-8", body)
    });
    let client = OrdersClient::new(server.url());
    let submit = |id| client.submit(Order { id, ..order() });
    let err = submit(1).await.unwrap_err();
    let f = err.fault().expect("a SOAP fault");
    assert_eq!(
        SubmitFault::from_fault(f).unwrap().unwrap(),
        SubmitFault::Rejected(OrderRejected { code: 7, reason: "no money".into() })
    );
    let err = submit(2).await.unwrap_err();
    match SubmitFault::from_fault(err.fault().unwrap()) {
        Some(Ok(SubmitFault::OutOfStock(line))) => assert_eq!(line.sku, "X"),
        other => panic!("{other:?}"),
    }
    let err = submit(3).await.unwrap_err();
    assert!(SubmitFault::from_fault(err.fault().unwrap()).is_none());
}

/// A fault detail element whose type is an array wrapper decodes to the `Vec` of its items.
#[tokio::test]
async fn a_fault_detail_of_an_array_type() {
    use wsdlgen_tests::support::http::{Response, TestServer};
    let server = TestServer::always(Response::new(
        500,
        "application/soap+xml; charset=utf-8",
        r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault>
<env:Code><env:Value>env:Sender</env:Value></env:Code><env:Reason><env:Text xml:lang="en">echoed</env:Text></env:Reason>
<env:Detail><EchoFault xmlns="urn:constructs"><Echo>x</Echo><Echo>y</Echo></EchoFault></env:Detail></env:Fault></env:Body></env:Envelope>"#,
    ));
    let err = OrdersClient::new(server.url()).ping("hi".into()).await.unwrap_err();
    match PingFault::from_fault(err.fault().expect("a SOAP fault")) {
        Some(Ok(PingFault::Echoed(items))) => assert_eq!(items, ["x", "y"]),
        other => panic!("{other:?}"),
    }
}

/// Document/literal *bare*: body elements of a simple type and of an array wrapper type.
#[tokio::test]
async fn bare_body_elements_of_simple_and_array_types() {
    use wsdlgen_tests::support::http::{Response, TestServer};
    let server = TestServer::always(Response::new(
        200,
        "application/soap+xml; charset=utf-8",
        r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><PingReply xmlns="urn:constructs"><Echo>a &amp; b</Echo><Echo/></PingReply></env:Body></env:Envelope>"#,
    ));
    let echoes = OrdersClient::new(server.url()).ping("hello <world>".into()).await.unwrap();
    assert_eq!(echoes, vec!["a & b".to_owned(), String::new()]);
    let request = &server.requests()[0];
    assert!(request.body_text().contains("<n0:Ping>hello &lt;world&gt;</n0:Ping>"), "{}", request.body_text());
    assert_eq!(
        request.header("content-type"),
        Some(r#"application/soap+xml; charset=utf-8; action="urn:constructs/Ping""#)
    );
    // The body element, standalone with its namespace, validates against the fixture's schema.
    let text = request.body_text();
    let body = &text[text.find("<s:Body>").unwrap() + "<s:Body>".len()..text.find("</s:Body>").unwrap()];
    let body = body.replacen("<n0:Ping>", r#"<n0:Ping xmlns:n0="urn:constructs">"#, 1);
    schemas().validate(body.as_bytes()).unwrap();
}

#[test]
fn derived_types_travel_with_xsi_type() {
    let xml = String::from_utf8(encode(&Submit { order: order() }, "n0:Submit")).unwrap();
    assert!(
        xml.contains(
            r#"<n0:Payment xsi:type="n0:CardPayment"><n0:Amount>10</n0:Amount><n0:Last4>4242</n0:Last4></n0:Payment>"#
        ),
        "{xml}"
    );
    assert!(xml.contains(r#"<n0:Payment xsi:type="n0:TransferPayment" instant="true">"#), "{xml}");
    assert!(xml.contains(r#"<n0:Fee xsi:type="n0:LateFee">"#), "{xml}");
    // The concrete base needs no xsi:type; an unknown derived type decodes as the base.
    let base = br#"<Submit xmlns="urn:constructs" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:x="urn:newer"><Order id="1"><Total currency="X">1</Total><Iban>a</Iban><Fee><Amount>2</Amount></Fee></Order></Submit>"#;
    let back: Submit = from_xml(base, NS0, "Submit").unwrap();
    assert_eq!(back.order.fee, Some(AnyFee::Fee(Fee { amount: "2".parse().unwrap() })));
    let newer = br#"<Submit xmlns="urn:constructs" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:x="urn:newer"><Order id="1"><Total currency="X">1</Total><Iban>a</Iban><Fee i:type="x:WaivedFee"><Amount>2</Amount><Why>x</Why></Fee></Order></Submit>"#;
    let back: Submit = from_xml(newer, NS0, "Submit").unwrap();
    assert_eq!(back.order.fee, Some(AnyFee::Fee(Fee { amount: "2".parse().unwrap() })));
    // An abstract base cannot stand for itself: no or an unknown xsi:type is an error naming it.
    let abstract_ = br#"<Submit xmlns="urn:constructs"><Order id="1"><Total currency="X">1</Total><Iban>a</Iban><Payment><Amount>2</Amount></Payment></Order></Submit>"#;
    let e = from_xml::<Submit>(abstract_, NS0, "Submit").unwrap_err().to_string();
    assert!(e.contains("Submit/Order/Payment/@type") && e.contains("xsi:type `(none)`"), "{e}");
}

/// A sequence inside a repeated choice: each occurrence is read up to the first element that
/// cannot continue it (here a second `Key`), then the choice starts again.
#[test]
fn sequences_inside_choices_split_where_the_next_occurrence_begins() {
    let xml = br#"<Submit xmlns="urn:constructs"><Order id="1"><Total currency="X">1</Total><Iban>a</Iban><Delivery><PoBox>7</PoBox><Key>a</Key><Key>b</Key><Val>2</Val><Flag>f</Flag><Key>c</Key><Signed>true</Signed></Delivery></Order></Submit>"#;
    let back: Submit = from_xml(xml, NS0, "Submit").unwrap();
    let delivery = back.order.delivery.unwrap();
    assert_eq!(delivery.choice, DeliveryChoice::PoBox(7));
    assert_eq!(
        delivery.choice2,
        vec![
            DeliveryChoice2::Sequence1(DeliverySequence1_2 { key: "a".into(), val: None }),
            DeliveryChoice2::Sequence1(DeliverySequence1_2 { key: "b".into(), val: Some("2".into()) }),
            DeliveryChoice2::Flag("f".into()),
            DeliveryChoice2::Sequence1(DeliverySequence1_2 { key: "c".into(), val: None }),
        ]
    );
    assert!(delivery.signed);
}

/// A choice whose alternatives are a repeated nested choice, a repeated group reference and a
/// repeated sequence: each alternative is a run of sibling elements, read to its end; the
/// first element tells the alternatives apart.
#[test]
fn choices_of_repeated_choices_groups_and_sequences() {
    let schemas = schemas();
    let date = |d: &str| ConditionDateOperand2Choice::Date(d.parse().unwrap());
    let alternatives = [
        ConditionChoice::Choice1(ConditionChoice1 {
            choice: vec![ConditionChoice1Choice::Number(1.5), ConditionChoice1Choice::NumberField("qty".into())],
        }),
        ConditionChoice::DateOperand2(ConditionDateOperand2 {
            choice: vec![date("2026-11-29"), ConditionDateOperand2Choice::DateField("due".into())],
        }),
        ConditionChoice::Sequence3(ConditionSequence3 { term: vec!["a".into(), "b".into(), "c".into()] }),
    ];
    for choice in alternatives {
        let request = Submit { order: Order { condition: Some(Condition { op: "eq".into(), choice }), ..order() } };
        let xml = encode(&request, "n0:Submit");
        if let Err(e) = schemas.validate(&xml) {
            panic!("xmllint rejects {}:\n{e}", String::from_utf8_lossy(&xml));
        }
        let back: Submit = from_xml(&xml, NS0, "Submit").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, request);
    }

    // Written by hand: the dates run, then the element after the choice.
    let xml = br#"<Submit xmlns="urn:constructs"><Order id="1"><Total currency="X">1</Total><Iban>a</Iban><Condition op="le"><DateField>start</DateField><Date>2026-01-31</Date></Condition></Order></Submit>"#;
    let back: Submit = from_xml(xml, NS0, "Submit").unwrap();
    let condition = back.order.condition.unwrap();
    assert_eq!(
        condition.choice,
        ConditionChoice::DateOperand2(ConditionDateOperand2 {
            choice: vec![ConditionDateOperand2Choice::DateField("start".into()), date("2026-01-31")]
        })
    );
    // An element of none of the alternatives is an error naming the place.
    let xml = br#"<Submit xmlns="urn:constructs"><Order id="1"><Total currency="X">1</Total><Iban>a</Iban><Condition op="le"><Other>1</Other></Condition></Order></Submit>"#;
    let e = from_xml::<Submit>(xml, NS0, "Submit").unwrap_err().to_string();
    assert!(e.contains("Submit/Order/Condition"), "{e}");
}
