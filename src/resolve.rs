//! The resolver: picks one finding among overlapping candidates.
//!
//! Candidates are grouped into clusters of transitively overlapping spans.
//! In each cluster:
//! 1. a candidate that covers the whole cluster wins (the longest such; on a
//!    tie the higher [`Category::priority`]): an e-mail address wins over the
//!    phone number inside its local part, a token over the 12 digits in it;
//! 2. otherwise the highest-priority candidate wins and its span grows to the
//!    whole cluster, so no byte any detector flagged is ever left unmasked.
//!
//! Resolution is a single left-to-right pass over candidates sorted by start:
//! it gives the same answer on any window that holds the whole cluster, which
//! is what lets the pipeline resolve chunk by chunk.
//!
//! [`Category::priority`]: crate::span::Category::priority

use crate::span::{Finding, Span};

/// Resolves `cands` (any order) into non-overlapping findings sorted by start.
pub fn resolve(cands: &mut Vec<Finding>) -> Vec<Finding> {
    cands.sort_by(|a, b| {
        a.span
            .start
            .cmp(&b.span.start)
            .then(b.span.end.cmp(&a.span.end))
    });
    cands.dedup_by(|b, a| a.span == b.span && a.category == b.category);
    let mut out = Vec::with_capacity(cands.len());
    let mut i = 0;
    while i < cands.len() {
        let mut end = cands[i].span.end;
        let mut j = i + 1;
        while j < cands.len() && cands[j].span.start < end {
            end = end.max(cands[j].span.end);
            j += 1;
        }
        out.push(pick(&cands[i..j], Span::new(cands[i].span.start, end)));
        i = j;
    }
    out
}

fn pick(cluster: &[Finding], whole: Span) -> Finding {
    if cluster.len() == 1 {
        return cluster[0].clone();
    }
    let covering = cluster
        .iter()
        .filter(|f| f.span == whole)
        .max_by_key(|f| f.category.priority());
    if let Some(f) = covering {
        return f.clone();
    }
    let best = cluster
        .iter()
        .max_by(|a, b| {
            a.category
                .priority()
                .cmp(&b.category.priority())
                .then(a.span.len().cmp(&b.span.len()))
                .then(b.span.start.cmp(&a.span.start))
        })
        .expect("cluster is not empty");
    Finding {
        span: whole,
        ..best.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Category;

    fn f(cat: Category, s: usize, e: usize) -> Finding {
        Finding {
            category: cat,
            detector: "t",
            span: Span::new(s, e),
            hint: None,
        }
    }

    #[test]
    fn container_wins_over_higher_priority_inside() {
        let mut v = vec![f(Category::MyNumber, 10, 22), f(Category::Secret, 0, 40)];
        assert_eq!(resolve(&mut v), vec![f(Category::Secret, 0, 40)]);
        let mut v = vec![f(Category::Phone, 0, 11), f(Category::Email, 0, 24)];
        assert_eq!(resolve(&mut v), vec![f(Category::Email, 0, 24)]);
    }

    #[test]
    fn partial_overlap_grows_the_winner_to_the_union() {
        let mut v = vec![f(Category::Phone, 5, 17), f(Category::Secret, 8, 60)];
        assert_eq!(resolve(&mut v), vec![f(Category::Secret, 5, 60)]);
    }

    #[test]
    fn disjoint_candidates_stay_apart_and_sorted() {
        let mut v = vec![
            f(Category::Email, 30, 40),
            f(Category::Phone, 0, 10),
            f(Category::Phone, 10, 20),
        ];
        let r = resolve(&mut v);
        assert_eq!(
            r.iter().map(|x| x.span.start).collect::<Vec<_>>(),
            vec![0, 10, 30]
        );
    }

    #[test]
    fn chains_form_one_cluster() {
        let mut v = vec![
            f(Category::Phone, 0, 10),
            f(Category::PostalCode, 8, 20),
            f(Category::Phone, 18, 30),
        ];
        let r = resolve(&mut v);
        assert_eq!(r, vec![f(Category::Phone, 0, 30)]);
    }

    #[test]
    fn duplicates_collapse() {
        let mut v = vec![f(Category::Phone, 0, 10), f(Category::Phone, 0, 10)];
        assert_eq!(resolve(&mut v).len(), 1);
    }
}
