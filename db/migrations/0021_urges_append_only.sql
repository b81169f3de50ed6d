-- An urge is a fact on record, like the events it is written beside: the application adds urges
-- and never changes or removes one.
REVOKE UPDATE, DELETE, TRUNCATE ON urges FROM duban_app;
