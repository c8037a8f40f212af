//! Responses of the function. API Gateway only looks at the status of `$connect` (2xx accepts
//! the upgrade, anything else refuses it); bodies are OpenIM's JSON envelope, for logs and for
//! routes with a route response configured.

use aws_lambda_events::apigw::ApiGatewayProxyResponse;
use aws_lambda_events::encodings::Body;
use aws_lambda_events::http::HeaderValue;
use aws_lambda_events::http::header::CONTENT_TYPE;
use im_domain::{ErrCode, ImError};

/// 200 without a body.
pub(crate) fn ok() -> ApiGatewayProxyResponse {
    let mut r = ApiGatewayProxyResponse::default();
    r.status_code = 200;
    r
}

/// `status` with the `{"errCode","errMsg","errDlt"}` envelope of `error`.
pub fn error_response(status: i64, error: &ImError) -> ApiGatewayProxyResponse {
    let mut r = ApiGatewayProxyResponse::default();
    r.status_code = status;
    r.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r.body = Some(Body::Text(im_gateway::handshake::result_body(Some(error))));
    r
}

/// The HTTP status refusing a handshake with `error`: 401 for token errors (150x), 503 for the
/// connection limit (1601), 400 for the rest (argument errors: 1602, and the plain 500 of an
/// `isBackground` that is not a Go bool).
pub fn status_of(error: &ImError) -> i64 {
    let code = error.code;
    if (ErrCode::TokenExpired.code()..=ErrCode::TokenNotExist.code()).contains(&code) {
        401
    } else if code == ErrCode::ConnOverMaxNumLimit.code() {
        503
    } else {
        400
    }
}
