use super::*;
use crate::vectors::{VectorFile, check};

const VECTORS: &str = include_str!("../../tests/data/signing-vectors.json");

#[test]
fn all_sixteen_official_vectors_match_byte_for_byte() {
    let file: VectorFile = serde_json::from_str(VECTORS).expect("vector file parses");
    assert_eq!(file.vectors.len(), 16);
    let failures: Vec<String> = file
        .vectors
        .iter()
        .map(check)
        .filter_map(|c| c.mismatch.map(|m| format!("{}: {m}", c.name)))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn canonical_uri_always_ends_with_one_slash() {
    assert_eq!(canonical_uri("/v1/sim-cards"), "/v1/sim-cards/");
    assert_eq!(canonical_uri("/v1/sim-cards/"), "/v1/sim-cards/");
    assert_eq!(canonical_uri("/v1/attributes/a%20b%2Fc"), "/v1/attributes/a%20b/c/");
}

#[test]
fn repeated_int_keys_sort_numerically_and_strings_by_code_point() {
    let q = [
        ("tag_id", QueryValue::Int(10)),
        ("tag_id", QueryValue::Int(9)),
        ("b", QueryValue::Str("测".into())),
        ("a", QueryValue::Bool(true)),
    ];
    assert_eq!(canonical_query(q.iter().map(|(k, v)| (*k, v))), "a=true&b=%E6%B5%8B&tag_id=9&tag_id=10");
}

#[test]
fn wire_query_keeps_value_order_of_repeated_keys() {
    assert_eq!(canonical_query_from_wire("tag_id=9&limit=10&tag_id=10"), "limit=10&tag_id=9&tag_id=10");
    assert_eq!(canonical_query_from_wire("a=x+y&b=%7E"), "a=x%2By&b=~");
}

#[test]
fn verifier_accepts_what_the_signer_produces_and_rejects_a_wrong_key() {
    let headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    let query = [("tag_id", QueryValue::Int(10)), ("tag_id", QueryValue::Int(9))];
    let req = SigningRequest {
        method: "POST",
        host: "127.0.0.1:9",
        path: "/v1/sim-cards/1/stop",
        query: &query,
        headers: &headers,
        body: b"{\"a\":1}",
    };
    let signed = sign(&req, "AK", "SK", "20240315T083015Z");
    let (path, raw_query) = signed.request_target.split_once('?').expect("has query");
    let wire = WireRequest { method: "POST", path, query: raw_query, headers: &signed.headers, body: b"{\"a\":1}" };
    let auth = parse_authorization(&signed.authorization).expect("parses");
    assert_eq!(auth.access, "AK");
    assert!(signatures_match(&expected_signature(&wire, &auth, "SK").0, &auth.signature));
    assert!(!signatures_match(&expected_signature(&wire, &auth, "SK2").0, &auth.signature));
}
