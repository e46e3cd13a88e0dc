// Every bhub command, declared once: what `bhub CMD --help` prints, what
// the parser accepts and what bash completion offers.
#include "clients/cli/command_line.h"

namespace batteryhub::cli {

namespace {

constexpr const char* kFormats =
    "auto|arbin|maccor|biologic|neware|novonix|basytec|pec|bdf|batteryarchive|table";
constexpr const char* kDate = "DATE is YYYY-MM-DD (00:00 UTC) or RFC 3339.";

}  // namespace

const std::vector<FlagSpec>& GlobalFlags() {
  static const std::vector<FlagSpec> flags = {
      {"hub", "HOST:PORT", "the hub (default: BATTERYHUB_HUB, the profile's hub, 127.0.0.1:50051)"},
      {"token", "TOKEN", "a bearer token (better: --token-file, which keeps it out of ps and "
                         "the shell history)"},
      {"token-file", "FILE", "a file holding the bearer token (mode 0600; also "
                             "BATTERYHUB_TOKEN_FILE or the profile's token_file)"},
      {"profile", "NAME", "the [profiles.NAME] table of the config file (also BATTERYHUB_PROFILE)"},
      {"config", "FILE", "the config file (default: BATTERYHUB_CONFIG, "
                         "~/.config/batteryhub/config.toml)"},
      {"output", "table|json", "output format (json: the proto3 JSON mapping)"},
      {"ca", "FILE", "mutual TLS: the CA of the hub's certificate (PEM)"},
      {"cert", "FILE", "mutual TLS: this institution's client certificate (PEM)"},
      {"key", "FILE", "mutual TLS: the certificate's private key (PEM)"},
  };
  return flags;
}

const std::vector<CommandSpec>& Commands() {
  static const std::vector<CommandSpec> commands = {
      {"create", "KIND", "create a record (KIND: sample, characterization or cell-test)",
       {{"institution", "I", "the owner institution (e.g. nrc)", true},
        {"id", "ID", "the record id: 1-63 characters [a-z0-9-]", true},
        {"file", "FILE", "the record as JSON (the proto3 JSON mapping) or TOML", true},
        {"request-id", "R", "an idempotency key: a retry with the same key creates nothing new"},
        {"dry-run", nullptr, "ask the hub to validate only (AIP-163): nothing is stored"},
        {"validate-only", nullptr, "the same as --dry-run"}},
       "The hub fills the output-only fields (name, revision, etag, times, provenance).",
       "bhub create sample --institution nrc --id lot-7 --file lot-7.toml\n"
       "bhub create cell-test --institution nrc --id c1-cycling --file c1.json --dry-run"},
      {"get", "NAME", "print a record (NAME@N: its revision N)", {}, "",
       "bhub get institutions/nrc/samples/lot-7\nbhub get institutions/nrc/cellTests/c1@2"},
      {"list", "KIND", "list records (KIND: samples, characterizations or cell-tests)",
       {{"institution", "I", "only this institution's records (default: all you may see)"},
        {"filter", "F", "an AIP-160 filter, e.g. 'cell.chemistry = \"NMC811\"'"},
        {"order-by", "O", "e.g. 'create_time desc'"},
        {"page-size", "N", "records per page"},
        {"page-token", "T", "the page to print (from the previous page's 'more:' line)"},
        {"all", nullptr, "every page, one JSON object per line with --output json"},
        {"show-deleted", nullptr, "also withdrawn records (bhub delete)"}},
       "",
       "bhub list cell-tests --filter 'summary.cycles_to_80_percent > 500' --all\n"
       "bhub list samples --institution aist --order-by 'create_time desc' --page-size 20"},
      {"update", "NAME", "replace a record, or the fields --update-mask names",
       {{"file", "FILE", "the record as JSON or TOML", true},
        {"update-mask", "f1,f2", "only these fields"},
        {"etag", "E", "refuse if the record changed since this etag (ABORTED)"},
        {"request-id", "R", "an idempotency key"},
        {"dry-run", nullptr, "ask the hub to validate only: nothing is stored"},
        {"validate-only", nullptr, "the same as --dry-run"}},
       "",
       "bhub update institutions/nrc/samples/lot-7 --file lot-7.toml --update-mask labels"},
      {"delete", "NAME", "withdraw a record (soft delete; stewards of its owner)",
       {{"etag", "E", "refuse if the record changed since this etag (ABORTED)"},
        {"request-id", "R", "an idempotency key"},
        {"dry-run", nullptr, "ask the hub to validate only: nothing is stored"}},
       "A withdrawn record stays readable by name (with its delete_time), in its revisions\n"
       "and in the ledger; List leaves it out unless --show-deleted; it takes no update and\n"
       "no series rows; replicas follow at their next sync. bhub undelete restores it.",
       "bhub delete institutions/nrc/cellTests/c01-wrong-cell"},
      {"undelete", "NAME", "restore a withdrawn record",
       {{"etag", "E", "refuse if the record changed since this etag (ABORTED)"},
        {"request-id", "R", "an idempotency key"},
        {"dry-run", nullptr, "ask the hub to validate only: nothing is stored"}},
       "", "bhub undelete institutions/nrc/cellTests/c01-wrong-cell"},
      {"revisions", "NAME", "list a record's revisions", {{"page-size", "N", "revisions per page"}},
       "", "bhub revisions institutions/nrc/samples/lot-7"},
      {"admin", "", "hub administration", {}, "", ""},
      {"admin token", "", "manage bearer tokens", {}, "", ""},
      {"admin token create", "", "create a token (printed once; the hub keeps its SHA-256)",
       {{"institution", "I", "the token's institution", true},
        {"role", "viewer|submitter|steward", "the token's role", true},
        {"principal", "ID", "the principal's id (default: one is made)"}},
       "Admins create tokens for any institution, stewards for their own.",
       "bhub admin token create --institution nrc --role submitter --principal harvester"},
      {"admin token list", "", "list an institution's tokens",
       {{"institution", "I", "the institution", true}}, "",
       "bhub admin token list --institution nrc"},
      {"admin token revoke", "TOKEN_NAME", "revoke a token", {}, "",
       "bhub admin token revoke institutions/nrc/tokens/harvester"},
      {"audit", "", "list audit entries (stewards: their institution's)",
       {{"institution", "I", "only this institution's entries"},
        {"page-size", "N", "entries per page"},
        {"all", nullptr, "every page"}},
       "", "bhub audit --institution nrc --all"},
      {"upload", "PATH...",
       "upload cycler exports to cell tests, or an instrument file to a characterization",
       {{"cell-test", "NAME", "the cell test every file goes to"},
        {"characterization", "NAME", "the characterization the file revises (XRD, PSD, isotherm, DSC file)"},
        {"sample", "NAME", "with --institution and --id: create the characterization of this sample"},
        {"institution", "I", "the institution a new characterization belongs to"},
        {"id", "ID", "the id of a new characterization"},
        {"map", "FILE", "a mapping of file names to cell tests (for many files; see below)"},
        {"recursive", nullptr, "take the files in the folders given, and in their folders"},
        {"format", kFormats, "the export's dialect (default: recognised from the content)"},
        {"timezone", "TZ", "the zone the file's wall-clock times were written in (default UTC)"},
        {"append", nullptr, "the file continues the test (another file of it): its time must go on"},
        {"replace", nullptr, "the file replaces the test's series (a new series revision; the old "
                             "rows stay readable as NAME@N)"},
        {"complete", nullptr, "the file is finished: a last line without a line break is a row"},
        {"strict", nullptr, "refuse a file the checks find errors in; nothing is sent before"},
        {"dry-run", nullptr, "parse and check only, print what would be stored; no hub needed"}},
       "Reads .mpr .nda .ndax .res .xlsx .xls and text exports (also gzipped). A file that grows\n"
       "one uploaded before appends only its new rows; the same file appends nothing; another\n"
       "file only with --append. A text export whose last line has no line break waits for\n"
       "that line (--complete takes it).\n"
       "Many files: one line per file (appended, unchanged, refused and why); the exit code is\n"
       "that of the first file that failed. Files a --map does not match are skipped and said\n"
       "so. A mapping file has one rule per line, '# comments' allowed:\n"
       "    GLOB  CELL_TEST        e.g.  cell01_*.mpr  institutions/nrc/cellTests/c01\n"
       "GLOB matches the path below the folder given (or the file name); '*' matches within a\n"
       "folder name, '**' across folders; the first rule that matches wins. Running the same\n"
       "command again resumes: what the hub holds already is unchanged.",
       "bhub upload run.mpr --cell-test institutions/nrc/cellTests/c01\n"
       "bhub upload exports/ --recursive --map exports.map\n"
       "bhub upload part2.txt --cell-test institutions/nrc/cellTests/c01 --append\n"
       "bhub upload right.mpr --cell-test institutions/nrc/cellTests/c01 --replace\n"
       "bhub upload run.csv --dry-run\n"
       "bhub upload scan.xrdml --characterization institutions/nrc/characterizations/xrd-lot7\n"
       "bhub upload psd.csv --sample institutions/nrc/samples/lot7 --institution nrc --id psd-lot7"},
      {"watch", "DIR...", "keep uploading the exports that appear and grow in folders",
       {{"map", "FILE", "the mapping of file names to cell tests (as bhub upload --map)"},
        {"cell-test", "NAME", "every file goes to this cell test"},
        {"state", "FILE", "where the harvester remembers files (default: DIR/.bhub-watch.json)"},
        {"quiet", "SECONDS", "upload a file once it has not changed for this long (default 60; "
                             "0: at every scan)"},
        {"interval", "SECONDS", "seconds between scans (default 10)"},
        {"format", kFormats, "the exports' dialect (default: recognised from the content)"},
        {"timezone", "TZ", "the zone the files' wall-clock times were written in"},
        {"append", nullptr, "a new file of a test continues it (e.g. Maccor .001, .002)"},
        {"strict", nullptr, "refuse a file the checks find errors in"},
        {"once", nullptr, "scan once, upload what is due, and exit"}},
       "Watches the folders and their folders (hidden ones left out). A file is due when it\n"
       "differs from when it was last taken and has not been written to for --quiet seconds.\n"
       "Logs one JSON line per action to stdout. Survives restarts (the state file) and hub\n"
       "outages (retries with backoff); what the hub holds decides what is new, so a lost\n"
       "state file costs only time. SIGTERM stops it between files.",
       "bhub watch /srv/cycler/exports --map /etc/batteryhub/harvester.map --token-file nrc.token\n"
       "bhub watch exports --cell-test institutions/nrc/cellTests/c01 --quiet 0 --once"},
      {"parse", "FILE", "print the rows (or a characterisation's curve and results) an upload would store",
       {{"format", "csv|bdf|json", "csv: BDF machine names; bdf: BDF labels; json: object a row"},
        {"rows", "A:B", "only rows A to B (end exclusive)"},
        {"timezone", "TZ", "the zone the file's wall-clock times were written in"},
        {"vendor", kFormats, "the export's dialect (default: recognised from the content)"}},
       "Notes and check findings are '# ' lines before the header. Exits 65 with the reason\n"
       "for a file it refuses. A characterisation file (XRD, particle size, isotherm, DSC)\n"
       "prints '# result: NAME = VALUE UNIT' and '# condition:' lines, then its main curve\n"
       "(e.g. two_theta_degree,intensity_count); --format json prints the record.",
       "bhub parse run.mpr --rows 0:10\nbhub parse export.csv --format json --timezone Asia/Tokyo"},
      {"series", "NAME", "print a cell test's series",
       {{"columns", "c1,c2", "only these columns (BDF machine names)"},
        {"cycles", "A:B", "only cycles A to B"},
        {"rows", "A:B", "only rows A to B (end exclusive)"},
        {"format", "csv|bdf|json", "output format"}},
       "", "bhub series institutions/nrc/cellTests/c01 --cycles 1:10 --columns test_time_second,voltage_volt"},
      {"summary", "NAME", "print a cell test's summary and cycle table", {}, "",
       "bhub summary institutions/nrc/cellTests/c01"},
      {"raw-file", "NAME SHA256", "download a source file of a series, or a characterization's instrument file, SHA-256 verified",
       {{"out", "FILE", "where to write it", true}}, "",
       "bhub raw-file institutions/nrc/cellTests/c01 3f9a... --out run.mpr"},
      {"verify", "", "verify the ledger chain, record digests and series (as the hub's admin)", {},
       "", "bhub verify"},
      {"lineage", "NAME", "a record's ancestors and descendants",
       {{"up", nullptr, "ancestors only"},
        {"down", nullptr, "descendants only"},
        {"depth", "N", "at most N steps"}},
       "", "bhub lineage institutions/nrc/samples/ni-lot-3 --down"},
      {"access", "", "who may see what (bhub access COMMAND --help)", {}, kDate, ""},
      {"access show", "NAME", "a record's access, or how an institution sees it",
       {{"as", "I", "how institution I sees the record"}}, "",
       "bhub access show institutions/nrc/samples/lot-7 --as nedo"},
      {"access visibility", "NAME VISIBILITY",
       "set visibility: private, agreement, consortium or public",
       {{"agreement", "agreements/ID,...", "the agreements (visibility agreement)"},
        {"tier", "metadata|summary|full", "the tier of consortium or public readers"},
        {"dry-run", nullptr, "ask the hub to validate only: nothing is stored"}},
       "", "bhub access visibility institutions/nrc/samples/lot-7 consortium --tier summary"},
      {"access grant", "NAME INSTITUTION", "grant an institution a tier",
       {{"tier", "metadata|summary|full", "the tier", true},
        {"from", "DATE", "from this date (an embargo until then)"},
        {"restricted", nullptr, "also the restricted fields"},
        {"dry-run", nullptr, "ask the hub to validate only: nothing is stored"}},
       kDate, "bhub access grant institutions/nrc/cellTests/c01 nedo --tier full --from 2027-04-01"},
      {"access revoke", "NAME INSTITUTION", "revoke an institution's grant",
       {{"dry-run", nullptr, "ask the hub to validate only: nothing is stored"}}, "",
       "bhub access revoke institutions/nrc/cellTests/c01 nedo"},
      {"access embargo", "NAME [INSTITUTION]",
       "embargo a grant until a date, or release the record then",
       {{"until", "DATE", "the end of the embargo", true},
        {"then", "consortium|public", "without INSTITUTION: the visibility after it"},
        {"dry-run", nullptr, "ask the hub to validate only: nothing is stored"}},
       kDate, "bhub access embargo institutions/nrc/cellTests/c01 --until 2027-06-01 --then public"},
      {"access restrict", "NAME FIELD...", "make fields restricted (owner and named partners only)",
       {{"dry-run", nullptr, "ask the hub to validate only: nothing is stored"}}, "",
       "bhub access restrict institutions/nrc/samples/lot-7 supplier origin.site"},
      {"access unrestrict", "NAME FIELD...", "make fields unrestricted",
       {{"dry-run", nullptr, "ask the hub to validate only: nothing is stored"}}, "",
       "bhub access unrestrict institutions/nrc/samples/lot-7 supplier"},
      {"access defaults", "", "an institution's defaults for new records",
       {{"institution", "I", "the institution (required)"}}, "",
       "bhub access defaults --institution nrc"},
      {"access defaults set", "", "set an institution's defaults (stewards)",
       {{"institution", "I", "the institution", true},
        {"visibility", "V", "private, agreement, consortium or public", true},
        {"agreement", "agreements/ID,...", "the agreements (visibility agreement)"},
        {"tier", "metadata|summary|full", "the tier"},
        {"restrict", "FIELD,...", "fields restricted by default"},
        {"dry-run", nullptr, "ask the hub to validate only: nothing is stored"}},
       "", "bhub access defaults set --institution nrc --visibility consortium --tier metadata"},
      {"access agreement", "", "data-sharing agreements (admins)", {}, "", ""},
      {"access agreement create", "ID", "create an agreement",
       {{"members", "I,I[,...]", "the member institutions", true},
        {"tier", "metadata|summary|full", "the tier members get", true},
        {"kinds", "samples,characterizations,cellTests", "the kinds in scope (default: all)"},
        {"label", "K=V,...", "only records with these labels"},
        {"from", "DATE", "valid from"},
        {"until", "DATE", "valid until"},
        {"dry-run", nullptr, "ask the hub to validate only: nothing is stored"}},
       kDate, "bhub access agreement create jp-ca-cells --members nrc,aist --tier full --kinds cellTests"},
      {"access agreement update", "NAME", "change an agreement",
       {{"members", "I,...", "replace the members"},
        {"add-member", "I,...", "add members"},
        {"remove-member", "I,...", "remove members"},
        {"tier", "metadata|summary|full", "the tier"},
        {"kinds", "samples,characterizations,cellTests", "the kinds in scope"},
        {"label", "K=V,...", "only records with these labels"},
        {"from", "DATE", "valid from"},
        {"until", "DATE", "valid until"},
        {"dry-run", nullptr, "ask the hub to validate only: nothing is stored"}},
       kDate, "bhub access agreement update agreements/jp-ca-cells --add-member nedo"},
      {"access agreement list", "", "list the agreements you are a member of", {}, "",
       "bhub access agreement list"},
      {"access agreement show", "NAME", "print an agreement", {}, "",
       "bhub access agreement show agreements/jp-ca-cells"},
      {"sync", "", "pull what this institution may see from a peer hub into the local one",
       {{"from", "PEER", "the peer hub HOST:PORT", true},
        {"to", "LOCAL", "the local hub (default: --hub)"},
        {"to-token", "TOKEN", "the local hub's admin token (an alias of --token)"},
        {"once", nullptr, "one run (the default)"},
        {"follow", nullptr, "keep running, a run every --interval"},
        {"interval", "S", "seconds between runs with --follow (default 30)"},
        {"full", nullptr, "from the start of the peer's feed, not the stored cursor"},
        {"batch", "N", "changes per request (1-5000)"},
        {"from-token", "T", "the token at the peer (also BATTERYHUB_FROM_TOKEN)"},
        {"from-token-file", "FILE", "a file holding the token at the peer (mode 0600)"},
        {"from-ca", "FILE", "mutual TLS at the peer: its CA"},
        {"from-cert", "FILE", "mutual TLS at the peer: this institution's certificate"},
        {"from-key", "FILE", "mutual TLS at the peer: the certificate's key"}},
       "The local hub is written as its admin (--token, --to-token or BATTERYHUB_TOKEN).",
       "bhub sync --from hub.aist.example:443 --from-token-file aist-peer.token --token-file admin.token\n"
       "bhub sync --from peer:50051 --follow --interval 300"},
      {"whoami", "", "the principal and role of your credentials", {}, "", "bhub whoami"},
      {"institutions", "", "list the member institutions", {}, "", "bhub institutions"},
      {"demo", "", "demo data", {}, "", ""},
      {"demo load", "", "fill a dev hub with the demo dataset (as its admin)", {}, "",
       "bhub demo load --token-file var/batteryhub/admin.token"},
      {"completion", "SHELL", "print a completion script (SHELL: bash)", {},
       "Install: bhub completion bash > /etc/bash_completion.d/bhub",
       "source <(bhub completion bash)"},
  };
  return commands;
}

}  // namespace batteryhub::cli
