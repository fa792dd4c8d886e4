import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";

let t: TestHub;
beforeAll(async () => { t = await startTestHub(); });
afterAll(() => t?.stop());

describe("smoke", () => {
  it("runs", async () => {
    const r = await t.gql(USERS.jansen, `{ cases { edges { node { id family { name } indicators { number code status missing evidence { recordType date note } due { kind dueOn text } } } } } }`);
    console.log(JSON.stringify(r, null, 1).slice(0, 6000));
    const w = await t.gql(USERS.jansen, `{ myWorklist { caseId firstDueOn overdueCount notMetCount items { kind dueOn overdue text } } }`);
    console.log(JSON.stringify(w, null, 1).slice(0, 3000));
    const o = await t.gql(USERS.visser, `{ organisationIndicators { organisationName from to cases figures { number applicable met notMet share notMetCases { caseId missing case { family { name } } } } trend { month cases } } }`);
    console.log(JSON.stringify(o, null, 1).slice(0, 3000));
    const n = await t.gql(USERS.beleid, `{ networkIndicators { from to cases suppressed figures { number applicable met share suppressed reasons { reason cases } } csv } }`);
    console.log(JSON.stringify(n, null, 1).slice(0, 3000));
  });
});
