// The environments in promotion order, straight from config/environments (the one list): the pipeline's matrix
// and every script that needs the list read it here, never a list of their own.
//
//   node --import tsx scripts/ci/environments.ts          one name a line
//   node --import tsx scripts/ci/environments.ts --json   a JSON array, e.g. for a GitHub Actions matrix
import { environments } from "../../config/environments";

const names = environments.map((env) => env.name);
const json = process.argv.includes("--json");
process.stdout.write(json ? `${JSON.stringify(names)}\n` : names.map((name) => `${name}\n`).join(""));
