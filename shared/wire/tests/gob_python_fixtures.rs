//! Request frames produced by the PyPI client `openim-sdk-core` 0.1.11 (tests/fixtures/python,
//! see tests/fixtures/README.md). The manifest holds the envelope the client handed to its own gob
//! encoder; our decoder must recover exactly that from the bytes it produced.

use im_wire::gob;
use im_wire::ws::{self, Encoding, GobTypeName, WsReq};

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/tests/fixtures/python/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("read {full}: {e}"))
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

struct Case {
    name: String,
    gzip_file: String,
    raw_file: String,
    expected: WsReq,
}

fn cases() -> Vec<Case> {
    let manifest: serde_json::Value = serde_json::from_slice(&fixture("manifest.json")).expect("manifest");
    let list = manifest.as_array().expect("array");
    assert!(list.len() >= 3);
    list.iter()
        .map(|m| {
            let s = |k: &str| m[k].as_str().unwrap_or_else(|| panic!("{k}")).to_owned();
            Case {
                name: s("name"),
                gzip_file: s("gzip_file"),
                raw_file: s("raw_file"),
                expected: WsReq {
                    req_identifier: i32::try_from(m["reqIdentifier"].as_i64().expect("reqIdentifier")).expect("i32"),
                    token: s("token"),
                    send_id: s("sendID"),
                    operation_id: s("operationID"),
                    msg_incr: s("msgIncr"),
                    data: hex(&s("dataHex")),
                },
            }
        })
        .collect()
}

#[test]
fn python_frames_decode_to_the_clients_envelope() {
    for case in cases() {
        let gz = fixture(&case.gzip_file);
        assert_eq!(&gz[..2], &[0x1f, 0x8b], "{}: gzip magic", case.name);
        let from_gzip = ws::decode_req(&gz, Encoding::Gob, true).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(from_gzip, case.expected, "{}", case.name);
        let raw = fixture(&case.raw_file);
        assert_eq!(ws::decode_req(&raw, Encoding::Gob, false).expect("raw"), case.expected, "{}", case.name);
        // Sending the raw frame to a gzip connection (or vice versa) is an error, not garbage.
        assert!(ws::decode_req(&raw, Encoding::Gob, true).is_err());
        assert!(ws::decode_req(&gz, Encoding::Gob, false).is_err());
    }
}

#[test]
fn python_frames_use_go_1_21_type_numbering() {
    for case in cases() {
        let raw = fixture(&case.raw_file);
        let s = gob::decode_struct(&raw).expect("decode");
        assert_eq!((s.name.as_str(), s.type_id), ("GeneralWsReq", 64), "{}", case.name);
        let declared: Vec<(&str, i64)> = s.declared.iter().map(|d| (d.name.as_str(), d.type_id)).collect();
        assert_eq!(
            declared,
            [("ReqIdentifier", 2), ("Token", 6), ("SendID", 6), ("OperationID", 6), ("MsgIncr", 6), ("Data", 5)]
        );
        // Byte-identical to what our encoder writes for the same name and id.
        let ours = ws::encode_req_with(
            &case.expected,
            Encoding::Gob,
            false,
            GobTypeName { name: "GeneralWsReq", type_id: 64 },
        );
        assert_eq!(ours, raw, "{}", case.name);
    }
}

/// Minimal protobuf walk: (field number, varint value or length-delimited bytes).
fn proto_fields(mut b: &[u8]) -> Vec<(u64, Result<u64, Vec<u8>>)> {
    fn varint(b: &mut &[u8]) -> u64 {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = b.split_first().expect("varint");
            *b = rest;
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
        }
        v
    }
    let mut out = Vec::new();
    while !b.is_empty() {
        let key = varint(&mut b);
        let value = match key & 7 {
            0 => Ok(varint(&mut b)),
            2 => {
                let n = usize::try_from(varint(&mut b)).expect("len");
                let (v, rest) = b.split_at(n);
                b = rest;
                Err(v.to_vec())
            }
            other => panic!("unexpected wire type {other}"),
        };
        out.push((key >> 3, value));
    }
    out
}

fn field_bytes(fields: &[(u64, Result<u64, Vec<u8>>)], n: u64) -> Option<&[u8]> {
    fields.iter().find_map(|(f, v)| (*f == n).then_some(v.as_ref().err()?.as_slice()))
}

fn field_varint(fields: &[(u64, Result<u64, Vec<u8>>)], n: u64) -> Option<u64> {
    fields.iter().find_map(|(f, v)| (*f == n).then_some(*v.as_ref().ok()?))
}

#[test]
fn python_payloads_are_the_expected_protobufs() {
    let by_name = |name: &str| {
        let case = cases().into_iter().find(|c| c.name == name).unwrap_or_else(|| panic!("{name}"));
        ws::decode_req(&fixture(&case.gzip_file), Encoding::Gob, true).expect("decode")
    };
    // 1001: sdkws.GetMaxSeqReq{userID}.
    let newest = by_name("py_1001_get_newest_seq");
    assert_eq!(newest.req_identifier, 1001);
    assert_eq!(newest.data, [&[0x0a, 0x09][..], b"py_user_1"].concat());
    assert!(newest.msg_incr.starts_with("py_user_1_"));
    assert_eq!(newest.token, "");

    // 1003: sdkws.MsgData, single chat.
    let single = by_name("py_1003_send_text_single");
    assert_eq!(single.req_identifier, 1003);
    let msg = proto_fields(&single.data);
    assert_eq!(field_bytes(&msg, 1), Some(&b"py_user_1"[..])); // sendID
    assert_eq!(field_bytes(&msg, 2), Some(&b"py_user_2"[..])); // recvID
    assert_eq!(field_varint(&msg, 9), Some(1)); // sessionType single
    assert_eq!(field_varint(&msg, 11), Some(101)); // contentType text
    let content = std::str::from_utf8(field_bytes(&msg, 12).expect("content")).expect("utf8");
    assert_eq!(content, r#"{"content":"hello from python <&> ünïcödé"}"#);

    // 1003 group: groupID set and sessionType 2 (the client's default for groups).
    let group = by_name("py_1003_send_text_group");
    let msg = proto_fields(&group.data);
    assert_eq!(field_bytes(&msg, 3), Some(&b"g_100"[..]));
    assert_eq!(field_varint(&msg, 9), Some(2));

    // 1002: sdkws.PullMessageBySeqsReq{userID, seqRanges[{conversationID, begin, end, num}]}.
    let pull = by_name("py_1002_pull_by_range");
    assert_eq!(pull.req_identifier, 1002);
    let req = proto_fields(&pull.data);
    let range = proto_fields(field_bytes(&req, 2).expect("seqRanges"));
    assert_eq!(field_bytes(&range, 1), Some(&b"si_py_user_1_py_user_2"[..]));
    assert_eq!(
        (field_varint(&range, 2), field_varint(&range, 3), field_varint(&range, 4)),
        (Some(1), Some(20), Some(100))
    );
}
