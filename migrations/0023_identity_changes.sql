-- Whatever changes who a signed-in person is (their session, role, department, stores, the
-- department's module access, the stores of their district or region) is announced on the
-- 'tandem_identity' channel, so a process that keeps session lookups in memory forgets them at
-- once, whoever made the change. One notification per statement; PostgreSQL folds repeats within
-- a transaction and delivers them at commit.
CREATE OR REPLACE FUNCTION tandem_identity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tandem_identity', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER sessions_identity_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sessions FOR EACH STATEMENT EXECUTE FUNCTION tandem_identity_changed();
--> statement-breakpoint
CREATE TRIGGER people_identity_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON people FOR EACH STATEMENT EXECUTE FUNCTION tandem_identity_changed();
--> statement-breakpoint
CREATE TRIGGER departments_identity_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON departments FOR EACH STATEMENT EXECUTE FUNCTION tandem_identity_changed();
--> statement-breakpoint
CREATE TRIGGER department_module_access_identity_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON department_module_access FOR EACH STATEMENT EXECUTE FUNCTION tandem_identity_changed();
--> statement-breakpoint
CREATE TRIGGER stores_identity_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON stores FOR EACH STATEMENT EXECUTE FUNCTION tandem_identity_changed();
