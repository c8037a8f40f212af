//! Mapping of SDK errors and transaction cancellations to [`StoreError`].

use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use im_domain::store::limits::MAX_ITEM_BYTES;
use im_domain::store::{Item, StoreError, WriteOp, eval};

/// Service error codes that mean "try again later".
const TRANSIENT_CODES: [&str; 10] = [
    "ThrottlingException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "TransactionConflictException",
    "TransactionInProgressException",
    "ReplicatedWriteConflictException",
    "InternalServerError",
    "ServiceUnavailable",
    "LimitExceededException",
    "Throttling",
];

/// Maps a DynamoDB `ValidationException` message that reports a data-model rule the domain
/// validators cannot check up front (item size after an update, `ADD` on a non-number).
pub(crate) fn data_model_violation(message: &str) -> Option<StoreError> {
    let lower = message.to_ascii_lowercase();
    if lower.contains("item size") {
        return Some(StoreError::Validation(format!(
            "item size exceeds the limit of {MAX_ITEM_BYTES} bytes ({message})"
        )));
    }
    if lower.contains("incorrect data type") || lower.contains("incorrect operand type") {
        return Some(StoreError::Validation(format!(
            "an operand in the update expression has an incorrect data type ({message})"
        )));
    }
    None
}

/// Maps an SDK error of operation `op` to a store error.
pub(crate) fn sdk_error<E>(op: &str, err: SdkError<E>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let text = format!("DynamoDB {op}: {}", DisplayErrorContext(&err));
    let status = err.raw_response().map(|r| r.status().as_u16());
    match &err {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) => StoreError::Unavailable(text),
        SdkError::ServiceError(_) => {
            let code = err.code().unwrap_or_default();
            if code == "ConditionalCheckFailedException" {
                StoreError::ConditionFailed
            } else if TRANSIENT_CODES.contains(&code) || status.is_some_and(|s| s >= 500) {
                StoreError::Unavailable(text)
            } else if code == "ValidationException" {
                data_model_violation(err.message().unwrap_or_default()).unwrap_or(StoreError::Internal(text))
            } else {
                StoreError::Internal(text)
            }
        }
        SdkError::ResponseError(_) if status.is_some_and(|s| s >= 500 || s == 429) => StoreError::Unavailable(text),
        _ => StoreError::Internal(text),
    }
}

/// One cancellation reason of a cancelled transaction, converted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Reason {
    /// The reason code (`None`, `ConditionalCheckFailed`, `TransactionConflict`, ...).
    pub(crate) code: Option<String>,
    /// The reason message.
    pub(crate) message: Option<String>,
    /// The item before the transaction (when `ALL_OLD` was asked for and the item existed).
    pub(crate) old: Option<Item>,
}

/// Why a guarded update's condition failed: the caller's condition, or an `ADD` that the
/// reference semantics reject (non-number or overflow), judged on the item as it was.
pub(crate) fn explain_update_failure(op: &WriteOp, old: Option<&Item>) -> StoreError {
    let WriteOp::Update { key, update, condition } = op else {
        return StoreError::ConditionFailed;
    };
    if condition.as_ref().is_some_and(|c| !eval::condition_holds(c, old)) {
        return StoreError::ConditionFailed;
    }
    match eval::apply_update(key, old, update) {
        Err(e) => e,
        Ok(_) => StoreError::ConditionFailed,
    }
}

/// Maps the reasons of a cancelled transaction over `ops` to a store error: the indices whose
/// condition failed, else a data-model violation, else a transient failure.
pub(crate) fn classify_cancellation(ops: &[WriteOp], reasons: &[Reason], message: &str) -> StoreError {
    let mut failed = Vec::new();
    let mut validation = None;
    let mut other = Vec::new();
    for (i, r) in reasons.iter().enumerate() {
        match r.code.as_deref() {
            None | Some("None") => {}
            Some("ConditionalCheckFailed") => match ops.get(i).map(|op| explain_update_failure(op, r.old.as_ref())) {
                Some(StoreError::ConditionFailed) | None => failed.push(i),
                Some(e) => validation = validation.or(Some(e)),
            },
            Some("ValidationError") => {
                let msg = r.message.clone().unwrap_or_default();
                validation = validation
                    .or_else(|| data_model_violation(&msg))
                    .or_else(|| Some(StoreError::Validation(format!("transaction op {i}: {msg}"))));
            }
            Some(code) => other.push(format!("{i}: {code}")),
        }
    }
    if !failed.is_empty() {
        return StoreError::TransactionCanceled { failed };
    }
    if let Some(v) = validation {
        return v;
    }
    if other.is_empty() {
        StoreError::Unavailable(format!("transaction cancelled: {message}"))
    } else {
        StoreError::Unavailable(format!("transaction cancelled ({}): {message}", other.join(", ")))
    }
}

/// Reads the reason codes from a cancellation message (`... reasons [None, ConditionalCheckFailed]`),
/// for emulators that send no structured reasons.
pub(crate) fn reasons_from_message(message: &str) -> Vec<Reason> {
    let Some(list) = message.rsplit_once('[').and_then(|(_, rest)| rest.split_once(']')).map(|(l, _)| l) else {
        return Vec::new();
    };
    list.split(',').map(|c| Reason { code: Some(c.trim().to_string()), ..Reason::default() }).collect()
}

#[cfg(test)]
mod tests {
    use im_domain::TenantId;
    use im_domain::store::{Condition, Key, Update};

    use super::*;

    fn key(sk: &str) -> Key {
        Key::new(&TenantId::default(), "p", sk)
    }

    fn reason(code: &str) -> Reason {
        Reason { code: Some(code.into()), ..Reason::default() }
    }

    #[test]
    fn condition_failures_give_indices() {
        let ops = vec![
            WriteOp::Check { key: key("a"), condition: Condition::ItemExists },
            WriteOp::Delete { key: key("b"), condition: None },
            WriteOp::Check { key: key("c"), condition: Condition::ItemExists },
        ];
        let reasons = [reason("ConditionalCheckFailed"), reason("None"), reason("ConditionalCheckFailed")];
        assert_eq!(classify_cancellation(&ops, &reasons, ""), StoreError::TransactionCanceled { failed: vec![0, 2] });
    }

    #[test]
    fn conflicts_are_unavailable() {
        let ops = vec![WriteOp::Delete { key: key("a"), condition: None }];
        let e = classify_cancellation(&ops, &[reason("TransactionConflict")], "m");
        assert!(matches!(e, StoreError::Unavailable(_)));
        assert!(matches!(classify_cancellation(&ops, &[], "m"), StoreError::Unavailable(_)));
    }

    #[test]
    fn guarded_add_failures_are_validation() {
        let k = key("a");
        let op = WriteOp::Update { key: k.clone(), update: Update::new().add("n", 1), condition: None };
        let old = Item::new(k.clone()).with("n", "text");
        let r = Reason { code: Some("ConditionalCheckFailed".into()), message: None, old: Some(old) };
        assert!(matches!(classify_cancellation(std::slice::from_ref(&op), &[r], ""), StoreError::Validation(_)));
        let full = Item::new(k.clone()).with("n", i64::MAX);
        assert!(matches!(explain_update_failure(&op, Some(&full)), StoreError::Validation(_)));
        let fine = Item::new(k.clone()).with("n", 1i64);
        assert_eq!(explain_update_failure(&op, Some(&fine)), StoreError::ConditionFailed);

        let guarded = WriteOp::Update {
            key: k.clone(),
            update: Update::new().add("n", 1),
            condition: Some(Condition::ItemExists),
        };
        assert_eq!(explain_update_failure(&guarded, None), StoreError::ConditionFailed);
    }

    #[test]
    fn validation_reasons_and_messages() {
        let ops = vec![WriteOp::Delete { key: key("a"), condition: None }];
        let r = Reason {
            code: Some("ValidationError".into()),
            message: Some("Item size to update has exceeded the maximum allowed size".into()),
            old: None,
        };
        let e = classify_cancellation(&ops, &[r], "");
        assert!(matches!(e, StoreError::Validation(m) if m.contains("exceeds")));
        assert!(data_model_violation("An operand in the update expression has an incorrect data type").is_some());
        assert!(data_model_violation("Invalid UpdateExpression: Syntax error").is_none());
    }

    #[test]
    fn reasons_parsed_from_message() {
        let m = "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]";
        let codes: Vec<_> = reasons_from_message(m).into_iter().map(|r| r.code).collect();
        assert_eq!(codes, vec![Some("None".to_string()), Some("ConditionalCheckFailed".to_string())]);
        assert!(reasons_from_message("no list").is_empty());
    }
}
