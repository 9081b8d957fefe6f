/** `npm run prices:update [-- options]`: see scripts/prices-update.ts. */
import { main } from "./prices-update";

main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`prices-update: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
});
