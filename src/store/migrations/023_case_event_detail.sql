-- A timeline entry the server words itself (an escalation, a dispatch,
-- a photo, a transfer, a request and its decision...) keeps its facts as
-- a JSON object beside the note: the deadline as an instant, a category
-- by code, a department or jurisdiction by id, a photo's type, the
-- person's words of the entry apart.  The console says them in the
-- reader's language; the note stays the English summary that Open311,
-- notifications and older clients read.  NULL for an entry that is a
-- person's words alone, and for rows written before: those are read
-- from their note (src/domain/timeline.c).
ALTER TABLE case_events ADD COLUMN detail TEXT;
