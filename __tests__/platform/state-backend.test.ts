import { PIPELINE_ENV, synthAll } from "../support/stacks";

describe("state backend", () => {
  it("is local by default, at a path relative to the stack folder (no machine path)", () => {
    const json = synthAll().json("infra-prod");
    expect(json.terraform.backend).toEqual({ local: { path: "../../../terraform.infra-prod.tfstate" } });
  });

  it("is azurerm with one state key per stack when the state storage variables are set, and holds no credentials", () => {
    const app = synthAll(PIPELINE_ENV);
    const backend = app.json("infra-staging").terraform.backend;
    expect(backend).toEqual({
      azurerm: {
        resource_group_name: "rg-tfstate",
        storage_account_name: "sttfstate01",
        container_name: "tfstate",
        key: "infra-staging.tfstate",
        use_azuread_auth: true,
      },
    });
  });
});
