-- A dataset's objects in id order, so that a residency report can read a large dataset's copies a page
-- at a time from where the last page ended instead of sorting all of them for every page.
DROP INDEX objects_dataset;
CREATE INDEX objects_dataset ON objects (dataset_id, id);
