/**
 * The back office: items, customers, sales documents, posting and stock, kept in the app's
 * own Postgres like a small Business Central sales module. Everything outside app/backoffice/
 * goes through this file only, so an external ERP could later take its place.
 *
 * Every function takes the client or a transaction, then the shop: nothing reads across shops.
 * Bad input throws BackOfficeError and changes nothing.
 */

export { BackOfficeError, DuplicateDocumentError, PostingHeldError } from "./errors.server";
export type { DecimalInput } from "./internal.server";
export { nextNo, NUMBER_SERIES, type NumberSeriesCode } from "./numbers.server";
export {
  findDiscountGroup,
  findPriceGroup,
  priceBook,
  priceOf,
  saveDiscountGroup,
  savePriceGroup,
  setLineDiscount,
  setSalesPrice,
  type Price,
  type PriceBook,
  type PriceContext,
  type PricedItem,
} from "./pricing.server";
export {
  analyzeItemTables,
  createItem,
  updateItem,
  WEIGHT_UNITS,
  type ItemCard,
  type NewVariant,
  type WeightUnit,
  findItem,
  itemChoices,
  itemsByNo,
  findItemForSku,
  findItemsForSkus,
  ITEM_TYPES,
  listItems,
  searchItems,
  SKU_STRATEGIES,
  type ItemMatch,
  type ItemType,
  type ItemWithVariants,
  type NewItem,
  type SkuLine,
  type SkuLookup,
  type SkuStrategy,
} from "./items.server";
export { findItemNos, type ItemSearch } from "./item-search.server";
export { findCustomerPage, type CustomerSearch } from "./customer-search.server";
export {
  adjustStock,
  ensureLocation,
  listLocations,
  postOpeningStock,
  shipmentStockLines,
  stockAt,
  stockPositions,
  type OpeningStockLine,
  type StockAdjustment,
  type StockPosition,
} from "./stock.server";
export {
  createCustomer,
  createCustomers,
  customerChoices,
  customersByEmailOrPhone,
  phoneKeyOf,
  findCustomer,
  findCustomerByAddress,
  findCustomerByEmailOrPhone,
  findCustomerByTaxRegistrationNo,
  listShipToAddresses,
  saveShipToAddress,
  searchCustomers,
  updateCustomer,
  type Customer,
  type CustomerFields,
  type NewCustomer,
  type ShipToInput,
} from "./customers.server";
export {
  closeSalesDocument,
  createSalesDocument,
  findDocumentsByShopifyOrderNo,
  getSalesDocument,
  listPostedInvoices,
  listSalesDocuments,
  releaseSalesOrder,
  reopenSalesOrder,
  replaceSalesLines,
  salesHeadersOfShopifyOrders,
  setSalesDocumentHold,
  HOLD_CODES,
  type FoundDocument,
  type HoldCode,
  type NewSalesDocument,
  type NewSalesLine,
  type PostedInvoice,
  type PostedShipment,
  type SalesDocument,
  type SalesDocumentStatus,
  type SalesDocumentType,
  type SalesHeader,
  type SalesLineType,
} from "./documents.server";
export {
  postSalesInvoice,
  postSalesOrder,
  type PostingResult,
  type PostSalesOrderOptions,
} from "./posting.server";
export { countShipments, findShipment, listShipments, shipmentsByNo } from "./shipments.server";
export {
  changesSince,
  CHANGE_ENTITIES,
  newestChanges,
  type Change,
  type ChangeEntity,
} from "./changes.server";
export { saveItemVariants, setBasePrices, whyNoItemForSku } from "./item-sync.server";
export {
  addItemPicture,
  findItemPicture,
  MAX_PICTURE_BYTES,
  MAX_PICTURES_PER_ITEM,
  moveItemPicture,
  PICTURE_TYPES,
  pictureCounts,
  pictureSlices,
  picturesOfItems,
  pictureTypeOf,
  removeItemPicture,
  replaceItemPicture,
  type ItemPicture,
  type NewPicture,
  type PictureContent,
  type PictureType,
} from "./pictures.server";
