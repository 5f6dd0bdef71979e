import { Form } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, InlineStack, Layout, Link, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { PostForm, Wrapped } from "./list-ui";
import type { PictureRow, PictureSection, PictureSummary } from "./pictures.server";

/**
 * The Items page's pictures section (one item's pictures, opened from its row) and the summary
 * on each row. Uploads are plain multipart forms: the file goes to the page's action as it is.
 */

const ACCEPT = "image/png,image/jpeg,image/gif,image/webp";

/** The row's pictures cell: how many, how many failed, and the way to the section. */
export function PictureCell({ summary, openUrl }: { summary: PictureSummary | undefined; openUrl: string }) {
  const count = summary?.count ?? 0;
  return (
    <BlockStack gap="100">
      <Text as="span" tone={count === 0 ? "subdued" : undefined}>
        {count === 0 ? "none" : `${count} ${count === 1 ? "picture" : "pictures"}`}
      </Text>
      {summary && summary.failed > 0 ? (
        <InlineStack>
          <Badge tone="critical">{`${summary.failed} failed`}</Badge>
        </InlineStack>
      ) : null}
      <Link url={openUrl}>{count === 0 ? "Add pictures" : "Pictures"}</Link>
    </BlockStack>
  );
}

function UploadForm({ fields, children }: { fields: Record<string, string>; children: ReactNode }) {
  return (
    <Form method="post" encType="multipart/form-data">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </Form>
  );
}

const TONE: Partial<Record<PictureRow["state"], "critical" | "success" | "attention" | "info">> = {
  error: "critical",
  synced: "success",
  processing: "attention",
  pending: "info",
  waiting: "info",
};

function PictureLine({ picture, busy, count }: { picture: PictureRow; busy: boolean; count: number }) {
  return (
    <Box paddingBlock="300" borderBlockEndWidth="025" borderColor="border">
      <InlineStack gap="400" align="space-between" blockAlign="start" wrap>
        <BlockStack gap="100">
          <Text as="span" fontWeight="semibold">
            {`${picture.position}. ${picture.filename}`}
          </Text>
          <Text as="span" tone="subdued">
            {`${picture.variantCode ? `variant ${picture.variantCode}` : "the item"} · ${picture.contentType} · ${picture.size}`}
          </Text>
        </BlockStack>
        <Wrapped width="28rem">
          <BlockStack gap="100">
            <InlineStack gap="200">
              <Badge tone={TONE[picture.state]}>{picture.stateWords}</Badge>
              {picture.attempts > 0 ? (
                <Text as="span" tone="subdued">
                  {`${picture.attempts} failed ${picture.attempts === 1 ? "attempt" : "attempts"}`}
                </Text>
              ) : null}
            </InlineStack>
            {picture.message ? (
              <Text as="p" breakWord tone={picture.state === "error" ? "critical" : "subdued"}>
                {picture.message}
              </Text>
            ) : null}
          </BlockStack>
        </Wrapped>
        <BlockStack gap="200">
          <UploadForm fields={{ intent: "replacePicture", pictureId: picture.id }}>
            <InlineStack gap="200" blockAlign="center">
              <input
                type="file"
                name="file"
                accept={ACCEPT}
                aria-label={`New file for ${picture.filename}`}
                required
              />
              <Button submit disabled={busy}>
                Replace
              </Button>
            </InlineStack>
          </UploadForm>
          <InlineStack gap="200">
            {count > 1 ? (
              <PostForm fields={{ intent: "movePicture", pictureId: picture.id }}>
                <InlineStack gap="100" blockAlign="center">
                  <select name="position" defaultValue={String(picture.position)} aria-label="Position">
                    {Array.from({ length: count }, (_, index) => (
                      <option key={index} value={String(index + 1)}>
                        {index + 1}
                      </option>
                    ))}
                  </select>
                  <Button submit disabled={busy}>
                    Move
                  </Button>
                </InlineStack>
              </PostForm>
            ) : null}
            <PostForm fields={{ intent: "removePicture", pictureId: picture.id }}>
              <Button submit disabled={busy} tone="critical">
                Remove
              </Button>
            </PostForm>
            {picture.state === "error" ? (
              <PostForm fields={{ intent: "retryPicture", pictureId: picture.id }}>
                <Button submit disabled={busy}>
                  Retry
                </Button>
              </PostForm>
            ) : null}
          </InlineStack>
        </BlockStack>
      </InlineStack>
    </Box>
  );
}

/** One item's pictures, in order, with what can be done to each, and the upload of a new one. */
export function PicturesSection({
  section,
  closeUrl,
  busy,
}: {
  section: PictureSection;
  closeUrl: string;
  busy: boolean;
}) {
  const off =
    section.syncImages === "to_shopify"
      ? null
      : `The setting "Sync images" is not "To Shopify" on the Settings page: pictures stay in the back office, and Retry is refused.`;
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {`Pictures of ${section.itemNo} · ${section.description}`}
            </Text>
            <Button url={closeUrl} variant="plain">
              Close
            </Button>
          </InlineStack>
          <Text as="p" tone="subdued">
            {off ??
              "In this order they are the Shopify product's images; a variant's first picture is that variant's image. A picture Shopify could not process shows Shopify's message, with Retry."}
          </Text>
          <div>
            {section.pictures.length === 0 ? (
              <Text as="p" tone="subdued">
                No pictures yet.
              </Text>
            ) : (
              section.pictures.map((picture) => (
                <PictureLine key={picture.id} picture={picture} busy={busy} count={section.pictures.length} />
              ))
            )}
          </div>
          <UploadForm fields={{ intent: "addPicture", itemNo: section.itemNo }}>
            <InlineStack gap="300" blockAlign="end" wrap>
              <label>
                <Text as="span">Picture (PNG, JPEG, GIF or WEBP, at most 20 MB) </Text>
                <input type="file" name="file" accept={ACCEPT} required />
              </label>
              {section.variants.length > 0 ? (
                <label>
                  <Text as="span">Of </Text>
                  <select name="variantCode" defaultValue="">
                    <option value="">the item</option>
                    {section.variants.map((variant) => (
                      <option key={variant.code} value={variant.code}>
                        {`variant ${variant.code} (${variant.description})`}
                      </option>
                    ))}
                  </select>
                </label>
              ) : null}
              <label>
                <Text as="span">At position </Text>
                <select name="position" defaultValue="">
                  <option value="">last</option>
                  {section.pictures.map((picture) => (
                    <option key={picture.id} value={String(picture.position)}>
                      {picture.position}
                    </option>
                  ))}
                </select>
              </label>
              <Button submit variant="primary" disabled={busy}>
                Add picture
              </Button>
            </InlineStack>
          </UploadForm>
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}
