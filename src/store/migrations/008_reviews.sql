-- 008_reviews.sql — issue 4, tracking facts and reviews. The review table
-- itself (003_facts.sql) needs no change: its numbers are computed from the
-- data when a review is shown (app/review.h), only the texts are stored.
--
-- Collections reference orders by number: the collections import and the
-- demo look each one up (store/facts.h sp_store_facts_order_find), which
-- without this index scans every sale line per collection row.
CREATE INDEX sale_order ON sale(order_no);
