//! Byte-exact gob vectors of openim-protocol.md §5.2, plus streams written by Go's own
//! `encoding/gob` (tests/fixtures/go, see tests/fixtures/README.md).

use im_wire::gob::{self, GobError, GobFieldDecl, GobValue, GobValueRef, type_ids};
use im_wire::ws::{self, Encoding, FrameError, GobTypeName, WsReq, WsResp};

/// Parses hex with any whitespace and `|` separators.
fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(|b| b.is_ascii_hexdigit()).collect();
    assert_eq!(digits.len() % 2, 0, "odd hex length");
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).expect("ascii"), 16).expect("hex digit"))
        .collect()
}

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("read {full}: {e}"))
}

const REQ_DEF: &str = "5d ff81 03 01 01 03 526571 01 ff82 00 01 06
    01 0d 5265714964656e746966696572 01 04 00
    01 05 546f6b656e                01 0c 00
    01 06 53656e644944              01 0c 00
    01 0b 4f7065726174696f6e4944    01 0c 00
    01 07 4d7367496e6372            01 0c 00
    01 04 44617461                  01 0a 00
    00 00";
const REQ_1001_VALUE: &str = "1a ff82 01 fe07d2 02 02 7531 01 03 6f7031 01 02 6d31 01 04 0a027531 00";

const RESP_DEF: &str = "60 ff83 03 01 01 04 52657370 01 ff84 00 01 06
    01 0d 5265714964656e746966696572 01 04 00 | 01 07 4d7367496e6372 01 0c 00 |
    01 0b 4f7065726174696f6e4944 01 0c 00 | 01 07 457272436f6465 01 04 00 |
    01 06 4572724d7367 01 0c 00 | 01 04 44617461 01 0a 00   00 00";
const RESP_2001_VALUE: &str = "11 ff84 01 fe0fa2 02 03 6f7031 03 03 010203 00";
const RESP_1003_VALUE: &str = "23 ff84 01 fe07d6 01 02 6d31 01 03 6f7031 01 fe0a2c 01 0d 426c6f636b6564427950656572 00";
const RESP_2002_VALUE: &str = "07 ff84 01 fe0fa4 00";

const RESP_66: GobTypeName<'static> = GobTypeName { name: "Resp", type_id: 66 };

fn req_1001() -> WsReq {
    WsReq {
        req_identifier: 1001,
        token: String::new(),
        send_id: "u1".into(),
        operation_id: "op1".into(),
        msg_incr: "m1".into(),
        data: vec![0x0a, 0x02, 0x75, 0x31],
    }
}

fn resp_2001() -> WsResp {
    WsResp { req_identifier: 2001, operation_id: "op1".into(), data: vec![1, 2, 3], ..Default::default() }
}

fn resp_1003() -> WsResp {
    WsResp {
        req_identifier: 1003,
        msg_incr: "m1".into(),
        operation_id: "op1".into(),
        err_code: 1302,
        err_msg: "BlockedByPeer".into(),
        data: Vec::new(),
    }
}

fn resp_2002() -> WsResp {
    WsResp { req_identifier: 2002, ..Default::default() }
}

fn vector(def: &str, value: &str) -> Vec<u8> {
    let mut v = hex(def);
    v.extend(hex(value));
    v
}

#[test]
fn req_vector_encodes_byte_exact() {
    let expected = vector(REQ_DEF, REQ_1001_VALUE);
    assert_eq!(expected.len(), 0x5d + 1 + 0x1a + 1);
    let got = ws::encode_req_with(&req_1001(), Encoding::Gob, false, GobTypeName { name: "Req", type_id: 65 });
    assert_eq!(to_hex(&got), to_hex(&expected));
    // The default request type is Req/65 as well.
    assert_eq!(ws::encode_req(&req_1001(), Encoding::Gob, false), expected);
    // And the low-level encoder with the same field list.
    let low = gob::encode_struct(
        "Req",
        65,
        &[
            ("ReqIdentifier", GobValueRef::Int(1001)),
            ("Token", GobValueRef::String("")),
            ("SendID", GobValueRef::String("u1")),
            ("OperationID", GobValueRef::String("op1")),
            ("MsgIncr", GobValueRef::String("m1")),
            ("Data", GobValueRef::Bytes(&[0x0a, 0x02, 0x75, 0x31])),
        ],
    );
    assert_eq!(low, expected);
}

#[test]
fn resp_vectors_encode_byte_exact() {
    for (resp, value) in
        [(resp_2001(), RESP_2001_VALUE), (resp_1003(), RESP_1003_VALUE), (resp_2002(), RESP_2002_VALUE)]
    {
        let expected = vector(RESP_DEF, value);
        let got = ws::encode_resp_with(&resp, Encoding::Gob, false, RESP_66);
        assert_eq!(to_hex(&got), to_hex(&expected), "{resp:?}");
    }
}

#[test]
fn default_resp_type_id_is_65() {
    let got = ws::encode_resp(&resp_2002(), Encoding::Gob, false);
    // Same layout with ff81/ff82 in place of ff83/ff84.
    let expected =
        vector(&RESP_DEF.replace("ff83", "ff81").replace("ff84", "ff82"), &RESP_2002_VALUE.replace("ff84", "ff82"));
    assert_eq!(to_hex(&got), to_hex(&expected));
    assert_eq!(ws::decode_resp(&got, Encoding::Gob, false).expect("decode"), resp_2002());
}

#[test]
fn vectors_decode_back() {
    let req = ws::decode_req(&vector(REQ_DEF, REQ_1001_VALUE), Encoding::Gob, false).expect("req");
    assert_eq!(req, req_1001());
    for (resp, value) in
        [(resp_2001(), RESP_2001_VALUE), (resp_1003(), RESP_1003_VALUE), (resp_2002(), RESP_2002_VALUE)]
    {
        let got = ws::decode_resp(&vector(RESP_DEF, value), Encoding::Gob, false).expect("resp");
        assert_eq!(got, resp);
    }
}

#[test]
fn generic_decoder_reports_definition() {
    let s = gob::decode_struct(&vector(RESP_DEF, RESP_1003_VALUE)).expect("decode");
    assert_eq!(s.name, "Resp");
    assert_eq!(s.type_id, 66);
    let names: Vec<&str> = s.declared.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["ReqIdentifier", "MsgIncr", "OperationID", "ErrCode", "ErrMsg", "Data"]);
    assert_eq!(s.declared_type("ErrCode"), Some(type_ids::INT));
    assert_eq!(s.declared_type("Data"), Some(type_ids::BYTES));
    assert_eq!(s.get("ErrCode"), Some(&GobValue::Int(1302)));
    assert_eq!(s.get("ErrMsg"), Some(&GobValue::String("BlockedByPeer".into())));
    // Zero fields are not transmitted.
    assert_eq!(s.get("Data"), None);
    assert_eq!(s.fields.len(), 5);
}

#[test]
fn go_encoder_fixtures_match_vectors() {
    assert_eq!(fixture("go/req_1001.gob"), vector(REQ_DEF, REQ_1001_VALUE));
    assert_eq!(fixture("go/resp_2001.gob"), vector(RESP_DEF, RESP_2001_VALUE));
    assert_eq!(fixture("go/resp_1003_err.gob"), vector(RESP_DEF, RESP_1003_VALUE));
    assert_eq!(fixture("go/resp_2002.gob"), vector(RESP_DEF, RESP_2002_VALUE));
}

#[test]
fn go_encoder_edge_values() {
    // Req{ReqIdentifier: MinInt32, Token: "t", SendID: "ünï", Data: 300 × 0xff}
    let req = ws::decode_req(&fixture("go/req_negative.gob"), Encoding::Gob, false).expect("decode");
    let expected = WsReq {
        req_identifier: i32::MIN,
        token: "t".into(),
        send_id: "ünï".into(),
        data: vec![0xff; 300],
        ..Default::default()
    };
    assert_eq!(req, expected);
    // A 300-byte payload makes the value message length multi-byte; our encoder must agree.
    assert_eq!(ws::encode_req(&expected, Encoding::Gob, false), fixture("go/req_negative.gob"));
    // Req{}: definition, then a value with no fields.
    let empty = fixture("go/req_empty.gob");
    assert_eq!(ws::decode_req(&empty, Encoding::Gob, false).expect("decode"), WsReq::default());
    assert_eq!(ws::encode_req(&WsReq::default(), Encoding::Gob, false), empty);
}

/// Go's `Kitchen` struct (see gen/gogob/main.go): primitive fields decoded, every other kind skipped.
#[test]
fn go_kitchen_sink_skips_unsupported_kinds() {
    let bytes = fixture("go/kitchen.gob");
    let s = gob::decode_struct(&bytes).expect("decode");
    assert_eq!(s.name, "Kitchen");
    assert_eq!(s.declared.len(), 19);
    let expect = [
        ("ReqIdentifier", GobValue::Int(1003)),
        ("Name", GobValue::String("kitchen".into())),
        ("Flag", GobValue::Bool(true)),
        ("Small", GobValue::Uint(65535)),
        ("Data", GobValue::Bytes(b"payload".to_vec())),
        ("Neg", GobValue::Int(-1_234_567_890_123)),
        ("Big", GobValue::Uint(u64::MAX)),
    ];
    for (name, value) in &expect {
        assert_eq!(s.get(name), Some(value), "{name}");
    }
    assert_eq!(s.fields.len(), expect.len(), "skipped kinds must not appear: {:?}", s.fields.keys());
    assert_eq!(s.declared_type("F"), Some(type_ids::FLOAT));
    assert_eq!(s.declared_type("Cx"), Some(type_ids::COMPLEX));
    assert_eq!(s.declared_type("Any"), Some(type_ids::INTERFACE));
    // As an envelope, only ReqIdentifier and Data match.
    let req = ws::decode_req(&bytes, Encoding::Gob, false).expect("decode as req");
    assert_eq!(req, WsReq { req_identifier: 1003, data: b"payload".to_vec(), ..Default::default() });
}

#[test]
fn any_user_type_id_and_name_decode() {
    for type_id in [64, 65, 66, 200, 70_000, i32::MAX as u32] {
        for name in ["Req", "GeneralWsReq", ""] {
            let frame = ws::encode_req_with(&req_1001(), Encoding::Gob, false, GobTypeName { name, type_id });
            assert_eq!(ws::decode_req(&frame, Encoding::Gob, false).expect("decode"), req_1001(), "{type_id} {name}");
            let s = gob::decode_struct(&frame).expect("decode");
            assert_eq!((s.type_id, s.name.as_str()), (type_id, name));
        }
    }
}

/// Prepends a message `-id, wireType{SliceT: {CommonType{}, Elem: elem}}`.
fn slice_def(id: i64, elem: i64) -> Vec<u8> {
    let mut body = Vec::new();
    put_int(&mut body, -id);
    body.extend([0x02, 0x01, 0x00, 0x01]); // SliceT (delta 2), CommonType (delta 1) empty, Elem (delta 1)
    put_int(&mut body, elem);
    body.extend([0x00, 0x00]);
    message(&body)
}

fn put_uint(out: &mut Vec<u8>, x: u64) {
    if x < 0x80 {
        out.push(x as u8);
    } else {
        let bytes = x.to_be_bytes();
        let skip = (x.leading_zeros() / 8) as usize;
        out.push((8 - skip as u8).wrapping_neg());
        out.extend_from_slice(&bytes[skip..]);
    }
}

fn put_int(out: &mut Vec<u8>, i: i64) {
    put_uint(out, if i < 0 { ((!i as u64) << 1) | 1 } else { (i as u64) << 1 });
}

fn message(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    put_uint(&mut out, body.len() as u64);
    out.extend_from_slice(body);
    out
}

/// Struct 70 {Deep []T70b ; SendID string} where 71 = []71 is defined *after* the struct.
fn recursive_slice_stream(depth: usize) -> Vec<u8> {
    let mut def = Vec::new();
    put_int(&mut def, -70);
    def.extend([0x03, 0x01, 0x01, 0x01, b'S', 0x01]);
    put_int(&mut def, 70);
    def.extend([0x00, 0x01, 0x02]);
    def.extend([0x01, 0x04]);
    def.extend(b"Deep");
    def.push(0x01);
    put_int(&mut def, 71);
    def.push(0x00);
    def.extend([0x01, 0x06]);
    def.extend(b"SendID");
    def.extend([0x01, 0x0c, 0x00, 0x00, 0x00]);
    let mut stream = message(&def);
    stream.extend(slice_def(71, 71));
    let mut value = Vec::new();
    put_int(&mut value, 70);
    value.push(0x01); // field 0: Deep
    // depth levels of one-element slices, innermost empty.
    value.extend(std::iter::repeat_n(0x01, depth));
    value.push(0x00);
    value.extend([0x01, 0x02, b'u', b'1', 0x00]); // field 1: SendID "u1", end
    stream.extend(message(&value));
    stream
}

#[test]
fn definitions_out_of_order_and_nested_skip() {
    let s = gob::decode_struct(&recursive_slice_stream(10)).expect("decode");
    assert_eq!(s.get("SendID"), Some(&GobValue::String("u1".into())));
    assert_eq!(s.declared[0], GobFieldDecl { name: "Deep".into(), type_id: 71 });
    let req = ws::decode_req(&recursive_slice_stream(10), Encoding::Gob, false).expect("decode");
    assert_eq!(req.send_id, "u1");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let err = gob::decode_struct(&recursive_slice_stream(100_000)).expect_err("too deep");
    assert_eq!(err, GobError::TooDeep);
}

#[test]
fn malformed_streams_are_errors() {
    let good = vector(REQ_DEF, REQ_1001_VALUE);
    // Every strict prefix fails cleanly.
    for cut in 0..good.len() {
        assert!(gob::decode_struct(&good[..cut]).is_err(), "prefix {cut}");
    }
    // Definitions only.
    assert_eq!(gob::decode_struct(&hex(REQ_DEF)), Err(GobError::NoValue));
    // Value without definition.
    assert_eq!(gob::decode_struct(&hex(REQ_1001_VALUE)), Err(GobError::UndefinedType(65)));
    // Same definition twice.
    let mut dup = hex(REQ_DEF);
    dup.extend(hex(REQ_DEF));
    dup.extend(hex(REQ_1001_VALUE));
    assert_eq!(gob::decode_struct(&dup), Err(GobError::DuplicateType(65)));
    // Definition with a reserved id.
    let reserved = gob::encode_struct("X", 20, &[("A", GobValueRef::Int(1))]);
    assert_eq!(gob::decode_struct(&reserved), Err(GobError::InvalidTypeId(20)));
    // Huge length prefix: error, no allocation.
    assert!(matches!(
        gob::decode_struct(&[0xf8, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        Err(GobError::LengthTooLarge { .. })
    ));
    // Uint with 9 length bytes.
    assert_eq!(gob::decode_struct(&[0xf7, 1, 2, 3, 4, 5, 6, 7, 8, 9]), Err(GobError::BadUint));
    // Field number past the end of the struct.
    let mut bad_field = hex(REQ_DEF);
    bad_field.extend([0x03, 0xff, 0x82, 0x07]);
    assert_eq!(gob::decode_struct(&bad_field), Err(GobError::FieldOutOfRange));
    // String longer than the message.
    let mut long_str = hex(REQ_DEF);
    long_str.extend([0x05, 0xff, 0x82, 0x02, 0x7f, 0x41]);
    assert!(matches!(gob::decode_struct(&long_str), Err(GobError::LengthTooLarge { .. })));
    // Top-level value of a non-struct type.
    let mut slice_top = slice_def(80, type_ids::INT);
    slice_top.extend(message(&[0xff, 0xa0, 0x00, 0x01, 0x02]));
    assert_eq!(gob::decode_struct(&slice_top), Err(GobError::NotAStruct(80)));
    // Type id zero.
    assert_eq!(gob::decode_struct(&[0x01, 0x00]), Err(GobError::ZeroTypeId));
}

#[test]
fn envelope_type_rules_follow_go() {
    // ReqIdentifier sent as a string: Go refuses the mismatched field type.
    let wrong = gob::encode_struct("Req", 65, &[("ReqIdentifier", GobValueRef::String("1001"))]);
    assert!(matches!(
        ws::decode_req(&wrong, Encoding::Gob, false),
        Err(FrameError::Field { field: "ReqIdentifier", .. })
    ));
    // int64 that does not fit the server's int32.
    let big = gob::encode_struct("Req", 65, &[("ReqIdentifier", GobValueRef::Int(1 << 40))]);
    assert!(matches!(
        ws::decode_req(&big, Encoding::Gob, false),
        Err(FrameError::Field { field: "ReqIdentifier", .. })
    ));
    // Struct sharing no field with the envelope.
    let other = gob::encode_struct("Other", 65, &[("Foo", GobValueRef::Int(1))]);
    assert_eq!(ws::decode_req(&other, Encoding::Gob, false), Err(FrameError::NoFieldsMatched));
    // Extra unknown fields are ignored; matching is case-sensitive (as in Go).
    let extra = gob::encode_struct(
        "Req",
        65,
        &[
            ("Unknown", GobValueRef::Bool(true)),
            ("sendid", GobValueRef::String("ignored")),
            ("SendID", GobValueRef::String("u9")),
            ("Counter", GobValueRef::Uint(9)),
        ],
    );
    assert_eq!(ws::decode_req(&extra, Encoding::Gob, false).expect("decode").send_id, "u9");
}
