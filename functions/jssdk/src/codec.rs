//! The `/jssdk/*` body rule (reference §1.8): JSON when the `Content-Type` is empty or JSON,
//! protobuf when it is `application/protobuf` or `application/x-protobuf` (then `data` is the
//! base64 of the protobuf response), 1001 "unsupported content type" otherwise.

use im_domain::{ImError, ImResult};
use prost::Message;

/// Decodes a non-JSON request body (see the module docs); `None` for JSON.
pub fn decode<M: Message + Default>(content_type: &str, body: &[u8]) -> Option<ImResult<M>> {
    let ct = content_type.to_ascii_lowercase();
    if ct.trim().is_empty() || ct.contains("application/json") {
        return None;
    }
    if ct.contains("application/protobuf") || ct.contains("application/x-protobuf") {
        return Some(M::decode(body).map_err(|e| ImError::args(format!("protobuf body: {e}"))));
    }
    Some(Err(ImError::args("unsupported content type")))
}

/// Encodes a protobuf response.
pub fn encode<M: Message>(resp: &M) -> ImResult<Vec<u8>> {
    Ok(resp.encode_to_vec())
}

#[cfg(test)]
mod tests {
    use im_wire::pb::jssdk::GetActiveConversationsReq;

    use super::*;

    #[test]
    fn content_types() {
        let req = GetActiveConversationsReq { owner_user_id: "u".into(), count: 20 };
        let bytes = req.encode_to_vec();
        for ct in ["application/x-protobuf", "application/protobuf", "Application/X-Protobuf; charset=binary"] {
            let got = decode::<GetActiveConversationsReq>(ct, &bytes).expect("binary").expect("decodes");
            assert_eq!(got, req, "{ct}");
        }
        assert!(decode::<GetActiveConversationsReq>("", b"{}").is_none());
        assert!(decode::<GetActiveConversationsReq>("application/json;charset=utf-8", b"{}").is_none());
        let e = decode::<GetActiveConversationsReq>("text/plain", b"{}").expect("rejected").unwrap_err();
        assert_eq!((e.code, e.dlt.as_str()), (1001, "unsupported content type"));
        let e = decode::<GetActiveConversationsReq>("application/x-protobuf", &[0xff, 0xff]).expect("binary");
        assert_eq!(e.unwrap_err().code, 1001);
        assert_eq!(encode(&req).unwrap(), bytes);
    }
}
