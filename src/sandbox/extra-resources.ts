// Resources resources.json does not describe (it covers 28 classes), written out by hand from PrestaShop's
// class definitions and webserviceParameters, or from what the transcripts show. Field order is the
// class definition order, which is what the webservice renders when webserviceParameters adds no field.
import type { FieldType } from './catalog.ts';

export interface ExtraField {
  lang?: boolean; required?: boolean; xlink?: string; size?: number; validate?: string; values?: string[];
}
export interface ExtraResource {
  node: string;
  className: string;
  fields: Array<[string, FieldType, ExtraField?]>;
  associations?: Array<{ name: string; nodeType: string; api: string }>;
}

export const EXTRA_RESOURCES: Record<string, ExtraResource> = {
  // Cart: described from transcripts 091/095 (the class is not in resources.json).
  carts: {
    node: 'cart', className: 'Cart',
    fields: [
      ['id_address_delivery', 'int', { xlink: 'addresses' }], ['id_address_invoice', 'int', { xlink: 'addresses' }],
      ['id_currency', 'int', { required: true, xlink: 'currencies' }], ['id_customer', 'int', { xlink: 'customers' }],
      ['id_guest', 'int'], ['id_lang', 'int', { required: true, xlink: 'languages' }], ['id_shop_group', 'int'], ['id_shop', 'int'],
      ['id_carrier', 'int'], ['recyclable', 'bool'], ['gift', 'bool'], ['gift_message', 'string'], ['mobile_theme', 'bool'],
      ['delivery_option', 'string'], ['secure_key', 'string'], ['allow_seperated_package', 'bool'], ['date_add', 'date'], ['date_upd', 'date'],
    ],
  },
  configurations: {
    node: 'configuration', className: 'Configuration',
    fields: [['value', 'string'], ['name', 'string', { required: true, size: 254, validate: 'isConfigName' }], ['id_shop_group', 'int'], ['id_shop', 'int'], ['date_add', 'date'], ['date_upd', 'date']],
  },
  order_cart_rules: {
    node: 'order_cart_rule', className: 'OrderCartRule',
    fields: [['id_order', 'int', { required: true, xlink: 'orders' }], ['id_cart_rule', 'int', { required: true }], ['id_order_invoice', 'int'],
      ['name', 'string', { required: true }], ['value', 'float', { required: true }], ['value_tax_excl', 'float', { required: true }], ['free_shipping', 'bool']],
  },
  // AttributeGroup (classes/AttributeGroup.php, 8.x): group_type is required but has no validate rule, so
  // any string is stored; add()/update() set is_color_group from group_type == 'color'.
  product_options: {
    node: 'product_option', className: 'AttributeGroup',
    fields: [
      ['is_color_group', 'bool', { validate: 'isBool' }], ['group_type', 'string', { required: true }], ['position', 'int', { validate: 'isInt' }],
      ['name', 'string', { lang: true, required: true, size: 128, validate: 'isGenericName' }],
      ['public_name', 'string', { lang: true, required: true, size: 64, validate: 'isGenericName' }],
    ],
    associations: [{ name: 'product_option_values', nodeType: 'product_option_value', api: 'product_option_values' }],
  },
  // ProductAttribute (classes/ProductAttribute.php at 8.1.2, commit 601f1327).
  product_option_values: {
    node: 'product_option_value', className: 'ProductAttribute',
    fields: [
      ['id_attribute_group', 'int', { required: true, validate: 'isUnsignedId', xlink: 'product_options' }], ['color', 'string', { validate: 'isColor' }],
      ['position', 'int', { validate: 'isInt' }], ['name', 'string', { lang: true, required: true, size: 128, validate: 'isGenericName' }],
    ],
  },
};
