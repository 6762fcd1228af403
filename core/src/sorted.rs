//! A small sorted set in a `Vec`.

/// Adds `item` to an ascending list unless it is there already: a small sorted set. The lists
/// here are short (activities, weeks, badges), and this costs the app's wasm far less code than
/// a sort or a `BTreeSet` for each item type.
pub fn insert_sorted<T: Ord>(list: &mut Vec<T>, item: T) {
    if let Err(at) = list.binary_search(&item) {
        list.insert(at, item);
    }
}
