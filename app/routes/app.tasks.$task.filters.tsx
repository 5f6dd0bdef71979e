import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { Refusal, refused, refusedPage, type Refused } from "../admin/refusal.server";
import { adminShop } from "../admin/route.server";
import type { FilterField } from "../sync/kit/filters";
import { filterFormValues, getTask, saveFilters } from "../admin/tasks.server";
import prisma from "../db.server";

/**
 * A task's request page: the filters every run of the task uses, whether started by its
 * schedule or by Run now.
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    const row = await getTask(prisma, shop, params.task ?? "");
    if (!row.info.available || row.info.filters.length === 0)
      throw new Refusal(`${row.info.title} has no filters.`, 404);
    return {
      task: { name: row.info.name, title: row.info.title },
      fields: row.info.filters,
      values: filterFormValues(row.info.filters, row.schedule?.filters),
    };
  } catch (error) {
    refusedPage(error);
  }
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const shop = await adminShop(request);
  try {
    await saveFilters(prisma, shop, params.task ?? "", Object.fromEntries(await request.formData()));
    return { ok: true as const };
  } catch (error) {
    return refused(error);
  }
};

function Field({
  field,
  value,
  error,
  onChange,
}: {
  field: FilterField;
  value: string | boolean;
  error?: string;
  onChange: (value: string | boolean) => void;
}) {
  if (field.kind === "boolean")
    return (
      <>
        <Checkbox label={field.label} checked={value === true} onChange={onChange} error={error} />
        <input type="hidden" name={field.name} value={value === true ? "on" : ""} />
      </>
    );
  if (field.kind === "select")
    return (
      <Select
        label={field.label}
        name={field.name}
        options={field.options ?? []}
        value={String(value)}
        onChange={onChange}
        helpText={field.helpText}
        error={error}
      />
    );
  return (
    <TextField
      label={field.label}
      name={field.name}
      type={field.kind === "date" ? "date" : "text"}
      value={String(value)}
      onChange={onChange}
      helpText={field.helpText}
      autoComplete="off"
      error={error}
    />
  );
}

export default function TaskFilters() {
  const { task, fields, values } = useLoaderData<typeof loader>();
  const result = useActionData<{ ok: true } | Refused>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const [draft, setDraft] = useState(values);
  const errors = result && !result.ok ? result.fields : {};

  useEffect(() => setDraft(values), [values]);
  useEffect(() => {
    if (result?.ok && navigation.state === "idle") shopify.toast.show("Filters saved");
  }, [result, navigation.state, shopify]);

  return (
    <Page
      title={`${task.title}: filters`}
      subtitle="Every run of this task uses these filters, whether its schedule or a person starts it."
      backAction={{ content: task.title, url: `/app/tasks/${task.name}` }}
    >
      <Layout>
        <Layout.Section>
          <Card>
            <Form method="post" data-testid="filters-form">
              <BlockStack gap="400">
                {result && !result.ok && (
                  <Banner tone="critical" title="Nothing was saved">
                    <p>{result.error}</p>
                  </Banner>
                )}
                <FormLayout>
                  {fields.map((field) => (
                    <Field
                      key={field.name}
                      field={field}
                      value={draft[field.name] ?? ""}
                      error={errors[field.name]}
                      onChange={(value) => setDraft((current) => ({ ...current, [field.name]: value }))}
                    />
                  ))}
                </FormLayout>
                <Text as="p" tone="subdued">
                  Blank fields do not filter.
                </Text>
                <Button submit variant="primary" loading={navigation.state === "submitting"}>
                  Save filters
                </Button>
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
