//! Builds DynamoDB expressions (condition, update, key condition) from the typed domain values.
//!
//! User strings never enter an expression: every attribute name becomes a `#nK` placeholder and
//! every value a `:vK` placeholder.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use im_domain::TenantId;
use im_domain::store::{
    AttrValue, Condition, GSI1_PK_ATTR, GSI1_SK_ATTR, PK_ATTR, SortCondition, Update, UpdateAction, physical_pk,
};

use super::convert::to_av;

/// DynamoDB's type descriptor of a value (`S`, `N`, `B`, `BOOL`, `NULL`, `L`, `M`).
fn scalar_type(v: &AttrValue) -> &'static str {
    match v {
        AttrValue::S(_) => "S",
        AttrValue::N(_) => "N",
        AttrValue::B(_) => "B",
        AttrValue::Bool(_) => "BOOL",
        AttrValue::Null => "NULL",
        AttrValue::L(_) => "L",
        AttrValue::M(_) => "M",
    }
}

/// Placeholder maps and the expressions that use them (one set per request or transaction item).
#[derive(Debug, Default)]
pub(crate) struct ExprBuilder {
    names: HashMap<String, String>,
    by_name: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
}

impl ExprBuilder {
    /// The placeholder of attribute name `attr` (reused when the name repeats).
    pub(crate) fn name(&mut self, attr: &str) -> String {
        if let Some(p) = self.by_name.get(attr) {
            return p.clone();
        }
        let p = format!("#n{}", self.names.len());
        self.names.insert(p.clone(), attr.to_string());
        self.by_name.insert(attr.to_string(), p.clone());
        p
    }

    /// A fresh placeholder for `value`.
    pub(crate) fn value(&mut self, value: AttributeValue) -> String {
        let p = format!(":v{}", self.values.len());
        self.values.insert(p.clone(), value);
        p
    }

    fn domain_value(&mut self, value: &AttrValue) -> String {
        self.value(to_av(value))
    }

    /// `ExpressionAttributeNames`, or `None` when empty (DynamoDB rejects empty maps).
    pub(crate) fn names(&self) -> Option<HashMap<String, String>> {
        (!self.names.is_empty()).then(|| self.names.clone())
    }

    /// `ExpressionAttributeValues`, or `None` when empty.
    pub(crate) fn values(&self) -> Option<HashMap<String, AttributeValue>> {
        (!self.values.is_empty()).then(|| self.values.clone())
    }

    /// Renders a condition; its truth equals `eval::condition_holds` on the stored item.
    pub(crate) fn condition(&mut self, c: &Condition) -> String {
        match c {
            Condition::ItemExists => format!("attribute_exists({})", self.name(PK_ATTR)),
            Condition::ItemNotExists => format!("attribute_not_exists({})", self.name(PK_ATTR)),
            Condition::Exists(a) => format!("attribute_exists({})", self.name(a)),
            Condition::NotExists(a) => format!("attribute_not_exists({})", self.name(a)),
            // The explicit existence and type tests restate DynamoDB's own semantics (a missing
            // attribute equals nothing; `<` across types is false) so that emulators which
            // deviate (moto: missing = NULL holds, `<` across types fails) agree with the reference.
            Condition::Equals(a, v) => {
                let n = self.name(a);
                format!("(attribute_exists({n}) AND {n} = {})", self.domain_value(v))
            }
            Condition::LessThan(a, v) => {
                let n = self.name(a);
                let ty = self.value(AttributeValue::S(scalar_type(v).to_string()));
                format!("(attribute_type({n}, {ty}) AND {n} < {})", self.domain_value(v))
            }
            Condition::And(cs) => self.join(cs, " AND "),
            Condition::Or(cs) => self.join(cs, " OR "),
            Condition::Not(c) => format!("(NOT {})", self.condition(c)),
        }
    }

    fn join(&mut self, cs: &[Condition], op: &str) -> String {
        let parts: Vec<String> = cs.iter().map(|c| format!("({})", self.condition(c))).collect();
        format!("({})", parts.join(op))
    }

    /// Renders an update as an `UpdateExpression`; `tenant` prefixes a new index partition key.
    pub(crate) fn update(&mut self, tenant: &TenantId, update: &Update) -> String {
        let mut set = Vec::new();
        let mut remove = Vec::new();
        let mut add = Vec::new();
        for action in &update.actions {
            match action {
                UpdateAction::Set(a, v) => {
                    let n = self.name(a);
                    set.push(format!("{n} = {}", self.domain_value(v)));
                }
                UpdateAction::SetIfNotExists(a, v) => {
                    let n = self.name(a);
                    set.push(format!("{n} = if_not_exists({n}, {})", self.domain_value(v)));
                }
                UpdateAction::Remove(a) => remove.push(self.name(a)),
                UpdateAction::Add(a, delta) => {
                    let n = self.name(a);
                    add.push(format!("{n} {}", self.value(AttributeValue::N(delta.to_string()))));
                }
                UpdateAction::SetSum { target, source, delta } => {
                    let t = self.name(target);
                    let src = self.name(source);
                    let zero = self.value(AttributeValue::N("0".to_string()));
                    let d = self.value(AttributeValue::N(delta.to_string()));
                    set.push(format!("{t} = if_not_exists({src}, {zero}) + {d}"));
                }
                UpdateAction::SetIndex(ix) => {
                    let pk = self.name(GSI1_PK_ATTR);
                    let pv = self.value(AttributeValue::S(physical_pk(tenant, &ix.pk)));
                    let sk = self.name(GSI1_SK_ATTR);
                    let sv = self.value(AttributeValue::S(ix.sk.clone()));
                    set.push(format!("{pk} = {pv}"));
                    set.push(format!("{sk} = {sv}"));
                }
                UpdateAction::RemoveIndex => {
                    remove.push(self.name(GSI1_PK_ATTR));
                    remove.push(self.name(GSI1_SK_ATTR));
                }
            }
        }
        let mut clauses = Vec::new();
        for (keyword, parts) in [("SET", set), ("REMOVE", remove), ("ADD", add)] {
            if !parts.is_empty() {
                clauses.push(format!("{keyword} {}", parts.join(", ")));
            }
        }
        clauses.join(" ")
    }

    /// A condition that holds exactly when every `ADD` of `update` succeeds under
    /// `eval::apply_update`: the attribute is absent, or is a number that does not overflow.
    ///
    /// DynamoDB numbers have 38 digits, so without this guard an `ADD` past `i64` would be
    /// stored; with it, the write fails and the adapter reports the reference's validation error.
    pub(crate) fn add_guards(&mut self, update: &Update) -> Option<String> {
        let mut guards = Vec::new();
        for action in &update.actions {
            if let UpdateAction::Add(a, delta) = action {
                let n = self.name(a);
                let (op, limit) = if *delta >= 0 { ("<=", i64::MAX - delta) } else { (">=", i64::MIN - delta) };
                let ty = self.value(AttributeValue::S("N".to_string()));
                let v = self.value(AttributeValue::N(limit.to_string()));
                guards.push(format!("(attribute_not_exists({n}) OR (attribute_type({n}, {ty}) AND {n} {op} {v}))"));
            }
        }
        (!guards.is_empty()).then(|| guards.join(" AND "))
    }

    /// The write condition: the caller's condition (if any) and the `ADD` guards (if any).
    pub(crate) fn write_condition(&mut self, condition: Option<&Condition>, update: Option<&Update>) -> Option<String> {
        let user = condition.map(|c| self.condition(c));
        let guard = update.and_then(|u| self.add_guards(u));
        match (user, guard) {
            (Some(u), Some(g)) => Some(format!("({u}) AND ({g})")),
            (u, None) => u,
            (None, g) => g,
        }
    }

    /// A key condition: `#pk = :pk` on `pk_attr` plus the sort-key condition on `sk_attr`.
    pub(crate) fn key_condition(&mut self, pk_attr: &str, pk: String, sk_attr: &str, sort: &SortCondition) -> String {
        let pn = self.name(pk_attr);
        let pv = self.value(AttributeValue::S(pk));
        let head = format!("{pn} = {pv}");
        let mut cmp = |op: &str, v: &str| {
            let sn = self.name(sk_attr);
            let sv = self.value(AttributeValue::S(v.to_string()));
            format!("{head} AND {sn} {op} {sv}")
        };
        match sort {
            SortCondition::All => head.clone(),
            SortCondition::Eq(v) => cmp("=", v),
            SortCondition::Lt(v) => cmp("<", v),
            SortCondition::Le(v) => cmp("<=", v),
            SortCondition::Gt(v) => cmp(">", v),
            SortCondition::Ge(v) => cmp(">=", v),
            SortCondition::BeginsWith(p) => {
                let sn = self.name(sk_attr);
                let sv = self.value(AttributeValue::S(p.clone()));
                format!("{head} AND begins_with({sn}, {sv})")
            }
            SortCondition::Between(lo, hi) => {
                let sn = self.name(sk_attr);
                let lv = self.value(AttributeValue::S(lo.clone()));
                let hv = self.value(AttributeValue::S(hi.clone()));
                format!("{head} AND {sn} BETWEEN {lv} AND {hv}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.to_string())
    }

    #[test]
    fn placeholders_never_carry_user_text() {
        let mut b = ExprBuilder::default();
        let c = Condition::eq("a) OR (b", "x").and(Condition::Exists("a) OR (b".into()));
        let e = b.condition(&c);
        assert_eq!(e, "(((attribute_exists(#n0) AND #n0 = :v0)) AND (attribute_exists(#n0)))");
        assert_eq!(b.names().unwrap().get("#n0").map(String::as_str), Some("a) OR (b"));
        assert_eq!(b.values().unwrap().get(":v0"), Some(&s("x")));
    }

    #[test]
    fn conditions_render() {
        let mut b = ExprBuilder::default();
        assert_eq!(b.condition(&Condition::ItemExists), "attribute_exists(#n0)");
        assert_eq!(b.condition(&Condition::ItemNotExists), "attribute_not_exists(#n0)");
        assert_eq!(b.names().unwrap().get("#n0").map(String::as_str), Some(PK_ATTR));
        let c = Condition::Or(vec![Condition::lt("n", 5i64), Condition::NotExists("m".into())]).negate();
        assert_eq!(
            b.condition(&c),
            "(NOT (((attribute_type(#n1, :v0) AND #n1 < :v1)) OR (attribute_not_exists(#n2))))"
        );
        assert_eq!(b.values().unwrap().get(":v0"), Some(&s("N")));
        assert_eq!(b.values().unwrap().get(":v1"), Some(&AttributeValue::N("5".into())));
        assert_eq!(b.condition(&Condition::And(vec![Condition::ItemExists])), "((attribute_exists(#n0)))");
    }

    #[test]
    fn empty_builder_has_no_maps() {
        let b = ExprBuilder::default();
        assert!(b.names().is_none());
        assert!(b.values().is_none());
    }

    #[test]
    fn updates_render() {
        let t = TenantId::parse("acme").unwrap();
        let mut b = ExprBuilder::default();
        let u = Update::new().set("a", 1i64).set_if_not_exists("b", "x").remove("c").add("d", -2).set_index("ip", "is");
        let e = b.update(&t, &u);
        assert_eq!(e, "SET #n0 = :v0, #n1 = if_not_exists(#n1, :v1), #n4 = :v3, #n5 = :v4 REMOVE #n2 ADD #n3 :v2");
        let names = b.names().unwrap();
        assert_eq!(names.get("#n4").map(String::as_str), Some(GSI1_PK_ATTR));
        assert_eq!(names.get("#n5").map(String::as_str), Some(GSI1_SK_ATTR));
        let values = b.values().unwrap();
        assert_eq!(values.get(":v3"), Some(&s("acme#ip")));
        assert_eq!(values.get(":v2"), Some(&AttributeValue::N("-2".into())));

        let mut b = ExprBuilder::default();
        assert_eq!(b.update(&t, &Update::new().remove_index()), "REMOVE #n0, #n1");
    }

    #[test]
    fn add_guards_bound_overflow() {
        let mut b = ExprBuilder::default();
        let u = Update::new().add("up", 5).add("down", i64::MIN).set("x", 1i64);
        let g = b.add_guards(&u).unwrap();
        assert_eq!(
            g,
            "(attribute_not_exists(#n0) OR (attribute_type(#n0, :v0) AND #n0 <= :v1)) AND \
             (attribute_not_exists(#n1) OR (attribute_type(#n1, :v2) AND #n1 >= :v3))"
        );
        let values = b.values().unwrap();
        assert_eq!(values.get(":v0"), Some(&s("N")));
        assert_eq!(values.get(":v1"), Some(&AttributeValue::N((i64::MAX - 5).to_string())));
        assert_eq!(values.get(":v3"), Some(&AttributeValue::N("0".into())));
        assert!(ExprBuilder::default().add_guards(&Update::new().set("x", 1i64)).is_none());
    }

    #[test]
    fn write_condition_combines() {
        let mut b = ExprBuilder::default();
        let u = Update::new().add("n", 1);
        let c = b.write_condition(Some(&Condition::ItemExists), Some(&u)).unwrap();
        assert_eq!(
            c,
            "(attribute_exists(#n0)) AND ((attribute_not_exists(#n1) OR (attribute_type(#n1, :v0) AND #n1 <= :v1)))"
        );
        assert!(ExprBuilder::default().write_condition(None, None).is_none());
    }

    #[test]
    fn key_conditions_render() {
        let cases = [
            (SortCondition::All, "#n0 = :v0"),
            (SortCondition::Eq("a".into()), "#n0 = :v0 AND #n1 = :v1"),
            (SortCondition::Lt("a".into()), "#n0 = :v0 AND #n1 < :v1"),
            (SortCondition::Le("a".into()), "#n0 = :v0 AND #n1 <= :v1"),
            (SortCondition::Gt("a".into()), "#n0 = :v0 AND #n1 > :v1"),
            (SortCondition::Ge("a".into()), "#n0 = :v0 AND #n1 >= :v1"),
            (SortCondition::BeginsWith("a".into()), "#n0 = :v0 AND begins_with(#n1, :v1)"),
            (SortCondition::Between("a".into(), "b".into()), "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2"),
        ];
        for (sort, want) in cases {
            let mut b = ExprBuilder::default();
            assert_eq!(b.key_condition(GSI1_PK_ATTR, "t#p".into(), GSI1_SK_ATTR, &sort), want);
            assert_eq!(b.values().unwrap().get(":v0"), Some(&s("t#p")));
        }
    }
}
