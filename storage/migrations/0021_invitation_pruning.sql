-- Issuing a link prunes unused links: the expired ones, and those older than a partner's
-- newest few. Both ran over the whole invitations table on every issue, a full scan per
-- single link at county size (50,000 partners). The expiry delete now finds its rows by this
-- partial index; the keep-the-newest delete looks only at the partners just issued (by the
-- existing invitations_partner index).
CREATE INDEX invitations_unused_expiry ON invitations(expires_at) WHERE used_at IS NULL;
