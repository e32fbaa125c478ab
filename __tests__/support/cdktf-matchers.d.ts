// Brings the types of the matchers that Testing.setupJest() registers (toHaveResource, ...).
import "cdktf/lib/testing/adapters/jest";
