//! Envelope codec modes: JSON (`sdkType=js`), gzip, and the text heartbeat.

use im_wire::ws::{self, Encoding, FrameError, MAX_DECOMPRESSED_LEN, WsReq, WsResp};

fn sample_req() -> WsReq {
    WsReq {
        req_identifier: 1003,
        token: String::new(),
        send_id: "u1".into(),
        operation_id: "op1".into(),
        msg_incr: "u1_1".into(),
        data: vec![0x0a, 0x02, 0x75, 0x31],
    }
}

fn sample_resp() -> WsResp {
    WsResp {
        req_identifier: 1003,
        msg_incr: "u1_1".into(),
        operation_id: "op1".into(),
        err_code: 0,
        err_msg: String::new(),
        data: vec![1, 2, 3],
    }
}

#[test]
fn sdk_type_selects_encoding() {
    assert_eq!(Encoding::from_sdk_type(""), Some(Encoding::Gob));
    assert_eq!(Encoding::from_sdk_type("go"), Some(Encoding::Gob));
    assert_eq!(Encoding::from_sdk_type("js"), Some(Encoding::Json));
    assert_eq!(Encoding::from_sdk_type("JS"), None);
}

#[test]
fn round_trips_in_every_mode() {
    for encoding in [Encoding::Gob, Encoding::Json] {
        for gzip in [false, true] {
            let req = sample_req();
            let frame = ws::encode_req(&req, encoding, gzip);
            assert_eq!(frame.starts_with(&[0x1f, 0x8b]), gzip);
            assert_eq!(ws::decode_req(&frame, encoding, gzip).expect("req"), req, "{encoding:?} gzip={gzip}");
            let resp = sample_resp();
            let frame = ws::encode_resp(&resp, encoding, gzip);
            assert_eq!(ws::decode_resp(&frame, encoding, gzip).expect("resp"), resp, "{encoding:?} gzip={gzip}");
            // Zero envelopes too.
            let frame = ws::encode_resp(&WsResp::default(), encoding, gzip);
            assert_eq!(ws::decode_resp(&frame, encoding, gzip).expect("zero"), WsResp::default());
        }
    }
}

#[test]
fn gzip_frame_is_gzip_of_plain_encoding() {
    let plain = ws::encode_resp(&sample_resp(), Encoding::Gob, false);
    let zipped = ws::encode_resp(&sample_resp(), Encoding::Gob, true);
    assert_eq!(ws::gunzip_bounded(&zipped, 1 << 20).expect("gunzip"), plain);
    // Concatenated gzip members decode as one stream, like Go's gzip.Reader.
    let half = plain.len() / 2;
    let mut two = ws::gzip(&plain[..half]);
    two.extend(ws::gzip(&plain[half..]));
    assert_eq!(ws::decode_resp(&two, Encoding::Gob, true).expect("multi-member"), sample_resp());
}

#[test]
fn gzip_errors_and_bomb() {
    let plain = ws::encode_req(&sample_req(), Encoding::Gob, false);
    assert!(matches!(ws::decode_req(&plain, Encoding::Gob, true), Err(FrameError::Gzip(_))));
    let zipped = ws::gzip(&plain);
    assert!(matches!(ws::decode_req(&zipped[..zipped.len() - 4], Encoding::Gob, true), Err(FrameError::Gzip(_))));
    // 8 MiB of zeros compresses to a few KiB, well under the 51,200-byte frame limit.
    let bomb = ws::gzip(&vec![0u8; 8 << 20]);
    assert!(bomb.len() < ws::MAX_FRAME_LEN, "{}", bomb.len());
    assert_eq!(ws::decode_req(&bomb, Encoding::Gob, true), Err(FrameError::TooLarge { limit: MAX_DECOMPRESSED_LEN }));
    // Exactly at the limit is fine (then fails as gob, not as size).
    let at_limit = ws::gzip(&vec![0u8; MAX_DECOMPRESSED_LEN]);
    assert_eq!(ws::gunzip_bounded(&at_limit, MAX_DECOMPRESSED_LEN).expect("at limit").len(), MAX_DECOMPRESSED_LEN);
    assert!(matches!(ws::gunzip_bounded(&at_limit, MAX_DECOMPRESSED_LEN - 1), Err(FrameError::TooLarge { .. })));
}

#[test]
fn json_response_shape_matches_go() {
    let resp = WsResp {
        req_identifier: 1003,
        msg_incr: "m1".into(),
        operation_id: "op1".into(),
        err_code: 1302,
        err_msg: "BlockedByPeer".into(),
        data: Vec::new(),
    };
    assert_eq!(
        String::from_utf8(ws::encode_resp(&resp, Encoding::Json, false)).expect("utf8"),
        r#"{"reqIdentifier":1003,"msgIncr":"m1","operationID":"op1","errCode":1302,"errMsg":"BlockedByPeer","data":null}"#
    );
    let push = WsResp {
        req_identifier: 2001,
        operation_id: "op<&>\u{2028}\"\\\n\u{1}".into(),
        data: vec![1, 2, 3],
        ..Default::default()
    };
    assert_eq!(
        String::from_utf8(ws::encode_resp(&push, Encoding::Json, false)).expect("utf8"),
        r#"{"reqIdentifier":2001,"msgIncr":"","operationID":"op\u003c\u0026\u003e\u2028\"\\\n\u0001","errCode":0,"errMsg":"","data":"AQID"}"#
    );
    // The escaped text is valid JSON holding the original string.
    let v: serde_json::Value = serde_json::from_slice(&ws::encode_resp(&push, Encoding::Json, false)).expect("json");
    assert_eq!(v["operationID"], push.operation_id.as_str());
}

#[test]
fn json_request_shape() {
    assert_eq!(
        String::from_utf8(ws::encode_req(&sample_req(), Encoding::Json, false)).expect("utf8"),
        r#"{"reqIdentifier":1003,"token":"","sendID":"u1","operationID":"op1","msgIncr":"u1_1","data":"CgJ1MQ=="}"#
    );
}

#[test]
fn json_request_as_js_sdk_sends_it() {
    // Key order and missing token as the JS SDK writes it (client-captures.md).
    let frame = br#"{"reqIdentifier":1003,"msgIncr":"u1_1","sendID":"u1","operationID":"op1","data":"CgJ1MQ=="}"#;
    assert_eq!(ws::decode_req(frame, Encoding::Json, false).expect("decode"), sample_req());
}

#[test]
fn json_decoding_is_lenient_like_go() {
    let frame = br#" {
        "ReqIdentifier": 1001, "SENDID": "u1", "unknown": {"deep": [1, {"x": null}], "s": "}]"},
        "operationid": "a", "operationID": "op1", "msgIncr": null, "data": [10, 2, 117, 49] ,"token":"t" } "#;
    let req = ws::decode_req(frame, Encoding::Json, false).expect("decode");
    assert_eq!(
        req,
        WsReq {
            req_identifier: 1001,
            token: "t".into(),
            send_id: "u1".into(),
            operation_id: "op1".into(),
            msg_incr: String::new(),
            data: vec![10, 2, 117, 49]
        }
    );
    // null keeps the earlier value; later duplicates win.
    let dup = br#"{"sendID":"a","sendID":null,"msgIncr":"x","msgIncr":"y"}"#;
    let req = ws::decode_req(dup, Encoding::Json, false).expect("decode");
    assert_eq!((req.send_id.as_str(), req.msg_incr.as_str()), ("a", "y"));
    // Unicode case folding: U+017F (long s) folds to 's', as in Go.
    let folded = "{\"\u{17f}endID\":\"z\"}";
    assert_eq!(ws::decode_req(folded.as_bytes(), Encoding::Json, false).expect("decode").send_id, "z");
    // Empty object and top-level null decode to the zero envelope.
    assert_eq!(ws::decode_req(b"{}", Encoding::Json, false).expect("empty"), WsReq::default());
    assert_eq!(ws::decode_req(b"null", Encoding::Json, false).expect("null"), WsReq::default());
    // Base64 with line breaks (Go's decoder skips \r and \n) and non-canonical trailing bits.
    let wrapped = br#"{"data":"Cg\r\nJ1MQ=="}"#;
    assert_eq!(ws::decode_req(wrapped, Encoding::Json, false).expect("decode").data, vec![0x0a, 0x02, 0x75, 0x31]);
    assert_eq!(ws::decode_req(br#"{"data":"AB=="}"#, Encoding::Json, false).expect("decode").data, vec![0]);
    assert_eq!(ws::decode_req(br#"{"data":[10,2,null]}"#, Encoding::Json, false).expect("decode").data, vec![10, 2, 0]);
    // Invalid UTF-8 inside a string becomes U+FFFD, as in Go.
    assert_eq!(ws::decode_req(b"{\"sendID\":\"\xff\"}", Encoding::Json, false).expect("decode").send_id, "\u{fffd}");
}

#[test]
fn json_type_errors_like_go() {
    let cases: [&[u8]; 11] = [
        br#"{"reqIdentifier":"1001"}"#,
        br#"{"reqIdentifier":1001.0}"#,
        br#"{"reqIdentifier":1e3}"#,
        br#"{"reqIdentifier":2147483648}"#,
        br#"{"reqIdentifier":true}"#,
        br#"{"sendID":5}"#,
        br#"{"data":"not base64!"}"#,
        br#"{"data":"CgJ1MQ"}"#,
        br#"{"data":[256]}"#,
        br#"[1,2]"#,
        br#"{"sendID":"a""#,
    ];
    for case in cases {
        assert!(ws::decode_req(case, Encoding::Json, false).is_err(), "{}", String::from_utf8_lossy(case));
    }
    assert_eq!(
        ws::decode_req(br#"{"reqIdentifier":-2147483648}"#, Encoding::Json, false).expect("min").req_identifier,
        i32::MIN
    );
}

#[test]
fn text_heartbeat() {
    assert_eq!(
        ws::text_heartbeat_reply(br#"{"type":"ping","body":{ "t" : 1700000000000, "s":"a b<c>" }}"#).expect("ping"),
        Some(r#"{"type":"pong","body":{"t":1700000000000,"s":"a b\u003cc\u003e"}}"#.to_owned())
    );
    assert_eq!(
        ws::text_heartbeat_reply(br#"{"type":"ping"}"#).expect("ping"),
        Some(r#"{"type":"pong","body":null}"#.to_owned())
    );
    assert_eq!(
        ws::text_heartbeat_reply(br#"{"TYPE":"ping","Body":[1.50, "x"]}"#).expect("ping"),
        Some(r#"{"type":"pong","body":[1.50,"x"]}"#.to_owned())
    );
    assert_eq!(ws::text_heartbeat_reply(br#"{"type":"pong"}"#).expect("pong"), None);
    assert_eq!(ws::text_heartbeat_reply(br#"{"type":"pong","body":"x"}"#).expect("pong"), None);
    for bad in
        [&br#"{"type":"PING"}"#[..], br#"{"type":"hello"}"#, b"{}", b"null", b"ping", br#"{"type":1}"#, b"", b"[]"]
    {
        assert!(ws::text_heartbeat_reply(bad).is_err(), "{}", String::from_utf8_lossy(bad));
    }
    assert_eq!(ws::text_heartbeat_reply(br#"{"type":"x"}"#), Err(FrameError::UnsupportedText("x".into())));
}
