import { setupJest } from "cdktf/lib/testing/adapters/jest";

// Adds the cdktf matchers (toHaveResource, toHaveResourceWithProperties, ...) to expect. Taken from the module that
// defines them, as Testing.setupJest does: importing "cdktf" itself would load all of cdktf (hundreds of modules) into
// every test file, most of which never touch it (docs/performance.md).
setupJest();

// cdktf records a full stack trace for every token it creates, shown only when a token cannot be
// resolved. Under jest every frame of each such trace is source-mapped, which made up about two
// thirds of every app synth in the tests (docs/performance.md); the synthesized JSON does not
// depend on it, so tests skip that record. (require: the module's own exports object is changed.)
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: an import would get a copy
const stackTrace: { captureStackTrace: () => string[] } = require("cdktf/lib/tokens/private/stack-trace");
stackTrace.captureStackTrace = () => [];
