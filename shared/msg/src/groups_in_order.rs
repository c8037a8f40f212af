//! Values gathered per key, keys kept in the order they first appeared (the push stage's lanes,
//! the transfer stage's merged counters): a hash index over a vector, so a batch of mostly
//! distinct keys costs one lookup per element instead of a scan.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::Hash;

/// Per-key values in first-appearance order of their keys.
pub struct GroupsInOrder<K, V> {
    groups: Vec<(K, V)>,
    index: HashMap<K, usize>,
}

impl<K: Clone + Eq + Hash, V: Default> GroupsInOrder<K, V> {
    /// Empty, with room for `n` keys.
    pub fn with_capacity(n: usize) -> Self {
        GroupsInOrder { groups: Vec::with_capacity(n), index: HashMap::with_capacity(n) }
    }

    /// The value of `key`, a default one the first time `key` appears.
    pub fn entry(&mut self, key: K) -> &mut V {
        let at = match self.index.entry(key) {
            Entry::Occupied(at) => *at.get(),
            Entry::Vacant(slot) => {
                self.groups.push((slot.key().clone(), V::default()));
                *slot.insert(self.groups.len() - 1)
            }
        };
        &mut self.groups[at].1
    }

    /// The keys and their values, in the order the keys first appeared.
    pub fn into_groups(self) -> Vec<(K, V)> {
        self.groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_first_appearance_order() {
        let mut g: GroupsInOrder<&str, Vec<i32>> = GroupsInOrder::with_capacity(2);
        for (k, v) in [("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5)] {
            g.entry(k).push(v);
        }
        assert_eq!(g.into_groups(), vec![("b", vec![1, 3]), ("a", vec![2, 5]), ("c", vec![4])]);
    }
}
