"""storefront

Revision ID: 0017
Revises: 0016

Pricelists with their items (quantity breaks, validity dates), the pricelist a sales order
prices from, products' variants with their attributes and images, storefront channels with the warehouses they show, their publishable tokens,
delivery methods and coupons, carts with their lines, customer accounts with their
sessions, and contact form enquiries. On PostgreSQL an expression index serves the catalog's full-text search over
product names, descriptions and SKUs.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0017'
down_revision: str | Sequence[str] | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The text the catalog search reads, as `domain.storefront.catalog.search_vector` builds it.
SEARCH_INDEX = (
    "CREATE INDEX ix_product_search ON product USING gin (to_tsvector('simple', "
    "coalesce(name, '') || ' ' || coalesce(description, '') || ' ' || coalesce(sku, '')))"
)


def upgrade() -> None:
    op.create_table('pricelist',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('currency_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_pricelist_company_id_company')),
    sa.ForeignKeyConstraint(['currency_id'], ['currency.id'], name=op.f('fk_pricelist_currency_id_currency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pricelist')),
    sa.UniqueConstraint('company_id', 'name', name=op.f('uq_pricelist_company_id_name'))
    )
    with op.batch_alter_table('pricelist', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pricelist_company_id'), ['company_id'], unique=False)

    op.create_table('storefront_channel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('currency_id', sa.Integer(), nullable=False),
    sa.Column('pricelist_id', sa.Integer(), nullable=True),
    sa.Column('tax_display', sa.Enum('included', 'excluded', name='taxdisplay', native_enum=False, length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_storefront_channel_company_id_company')),
    sa.ForeignKeyConstraint(['currency_id'], ['currency.id'], name=op.f('fk_storefront_channel_currency_id_currency')),
    sa.ForeignKeyConstraint(['pricelist_id'], ['pricelist.id'], name=op.f('fk_storefront_channel_pricelist_id_pricelist')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_storefront_channel')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_storefront_channel_company_id_code'))
    )
    with op.batch_alter_table('storefront_channel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_storefront_channel_company_id'), ['company_id'], unique=False)

    op.create_table('pricelist_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pricelist_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('min_quantity', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('rule', sa.Enum('fixed', 'percentage', name='pricelistrule', native_enum=False, length=32), nullable=False),
    sa.Column('fixed_price', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('percent', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('date_start', sa.Date(), nullable=True),
    sa.Column('date_end', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['pricelist_id'], ['pricelist.id'], name=op.f('fk_pricelist_item_pricelist_id_pricelist'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_pricelist_item_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pricelist_item'))
    )
    with op.batch_alter_table('pricelist_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pricelist_item_pricelist_id'), ['pricelist_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pricelist_item_product_id'), ['product_id'], unique=False)

    op.create_table('storefront_channel_warehouse',
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['storefront_channel.id'], name=op.f('fk_storefront_channel_warehouse_channel_id_storefront_channel'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['warehouse_id'], ['stock_warehouse.id'], name=op.f('fk_storefront_channel_warehouse_warehouse_id_stock_warehouse')),
    sa.PrimaryKeyConstraint('channel_id', 'warehouse_id', name=op.f('pk_storefront_channel_warehouse'))
    )
    op.create_table('storefront_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['storefront_channel.id'], name=op.f('fk_storefront_token_channel_id_storefront_channel')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_storefront_token_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_storefront_token')),
    sa.UniqueConstraint('token', name=op.f('uq_storefront_token_token'))
    )
    with op.batch_alter_table('storefront_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_storefront_token_channel_id'), ['channel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_storefront_token_company_id'), ['company_id'], unique=False)

    op.create_table('storefront_coupon',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.Enum('percentage', 'fixed', name='couponkind', native_enum=False, length=32), nullable=False),
    sa.Column('value', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('usage_limit', sa.Integer(), nullable=True),
    sa.Column('times_used', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['storefront_channel.id'], name=op.f('fk_storefront_coupon_channel_id_storefront_channel')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_storefront_coupon_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_storefront_coupon')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_storefront_coupon_company_id_code'))
    )
    with op.batch_alter_table('storefront_coupon', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_storefront_coupon_channel_id'), ['channel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_storefront_coupon_company_id'), ['company_id'], unique=False)

    op.create_table('storefront_delivery_method',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('price', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('free_over', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['storefront_channel.id'], name=op.f('fk_storefront_delivery_method_channel_id_storefront_channel')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_storefront_delivery_method_company_id_company')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_storefront_delivery_method_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_storefront_delivery_method'))
    )
    with op.batch_alter_table('storefront_delivery_method', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_storefront_delivery_method_channel_id'), ['channel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_storefront_delivery_method_company_id'), ['company_id'], unique=False)

    op.create_table('storefront_cart',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('state', sa.Enum('open', 'ordered', name='cartstate', native_enum=False, length=32), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('billing_address', sa.JSON(), nullable=True),
    sa.Column('shipping_address', sa.JSON(), nullable=True),
    sa.Column('delivery_method_id', sa.Integer(), nullable=True),
    sa.Column('coupon_id', sa.Integer(), nullable=True),
    sa.Column('sale_order_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['storefront_channel.id'], name=op.f('fk_storefront_cart_channel_id_storefront_channel')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_storefront_cart_company_id_company')),
    sa.ForeignKeyConstraint(['coupon_id'], ['storefront_coupon.id'], name=op.f('fk_storefront_cart_coupon_id_storefront_coupon')),
    sa.ForeignKeyConstraint(['delivery_method_id'], ['storefront_delivery_method.id'], name=op.f('fk_storefront_cart_delivery_method_id_storefront_delivery_method')),
    sa.ForeignKeyConstraint(['sale_order_id'], ['sale_order.id'], name=op.f('fk_storefront_cart_sale_order_id_sale_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_storefront_cart')),
    sa.UniqueConstraint('token', name=op.f('uq_storefront_cart_token'))
    )
    with op.batch_alter_table('storefront_cart', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_storefront_cart_channel_id'), ['channel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_storefront_cart_company_id'), ['company_id'], unique=False)

    op.create_table('storefront_cart_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cart_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cart_id'], ['storefront_cart.id'], name=op.f('fk_storefront_cart_line_cart_id_storefront_cart'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_storefront_cart_line_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_storefront_cart_line')),
    sa.UniqueConstraint('cart_id', 'product_id', name=op.f('uq_storefront_cart_line_cart_id_product_id'))
    )
    with op.batch_alter_table('storefront_cart_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_storefront_cart_line_cart_id'), ['cart_id'], unique=False)

    op.create_table('storefront_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_storefront_account_company_id_company')),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_storefront_account_partner_id_partner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_storefront_account')),
    sa.UniqueConstraint('company_id', 'email', name=op.f('uq_storefront_account_company_id_email'))
    )
    with op.batch_alter_table('storefront_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_storefront_account_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_storefront_account_partner_id'), ['partner_id'], unique=False)

    op.create_table('storefront_customer_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['storefront_account.id'], name=op.f('fk_storefront_customer_session_account_id_storefront_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_storefront_customer_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_storefront_customer_session_token_hash'))
    )
    with op.batch_alter_table('storefront_customer_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_storefront_customer_session_account_id'), ['account_id'], unique=False)

    op.create_table('storefront_enquiry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('message', sa.String(length=4000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['storefront_channel.id'], name=op.f('fk_storefront_enquiry_channel_id_storefront_channel')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_storefront_enquiry_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_storefront_enquiry'))
    )
    with op.batch_alter_table('storefront_enquiry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_storefront_enquiry_channel_id'), ['channel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_storefront_enquiry_company_id'), ['company_id'], unique=False)

    # Added in place: a batch copy of sale_order or product would drop a table other rows
    # reference, which SQLite refuses with foreign keys on.
    op.add_column("sale_order", sa.Column("pricelist_id", sa.Integer(), nullable=True))
    op.add_column("product", sa.Column("variant_of_id", sa.Integer(), nullable=True))
    op.add_column("product", sa.Column("attributes", sa.JSON(), nullable=True))
    op.add_column("product", sa.Column("image_urls", sa.JSON(), nullable=True))
    op.create_index("ix_product_variant_of_id", "product", ["variant_of_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.create_foreign_key(
            "fk_product_variant_of_id_product", "product", "product", ["variant_of_id"], ["id"]
        )
        op.create_foreign_key(
            "fk_sale_order_pricelist_id_pricelist", "sale_order", "pricelist", ["pricelist_id"], ["id"]
        )
        op.execute(SEARCH_INDEX)


def downgrade() -> None:
    with op.batch_alter_table('storefront_enquiry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_storefront_enquiry_company_id'))
        batch_op.drop_index(batch_op.f('ix_storefront_enquiry_channel_id'))

    op.drop_table('storefront_enquiry')
    with op.batch_alter_table('storefront_customer_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_storefront_customer_session_account_id'))

    op.drop_table('storefront_customer_session')
    with op.batch_alter_table('storefront_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_storefront_account_partner_id'))
        batch_op.drop_index(batch_op.f('ix_storefront_account_company_id'))

    op.drop_table('storefront_account')
    with op.batch_alter_table('storefront_cart_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_storefront_cart_line_cart_id'))

    op.drop_table('storefront_cart_line')
    with op.batch_alter_table('storefront_cart', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_storefront_cart_company_id'))
        batch_op.drop_index(batch_op.f('ix_storefront_cart_channel_id'))

    op.drop_table('storefront_cart')
    with op.batch_alter_table('storefront_delivery_method', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_storefront_delivery_method_company_id'))
        batch_op.drop_index(batch_op.f('ix_storefront_delivery_method_channel_id'))

    op.drop_table('storefront_delivery_method')
    with op.batch_alter_table('storefront_coupon', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_storefront_coupon_company_id'))
        batch_op.drop_index(batch_op.f('ix_storefront_coupon_channel_id'))

    op.drop_table('storefront_coupon')
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_product_search", table_name="product")
        op.drop_constraint("fk_sale_order_pricelist_id_pricelist", "sale_order")
        op.drop_constraint("fk_product_variant_of_id_product", "product")
    op.drop_index("ix_product_variant_of_id", table_name="product")
    for column in ("image_urls", "attributes", "variant_of_id"):
        op.drop_column("product", column)
    op.drop_column("sale_order", "pricelist_id")
    with op.batch_alter_table('storefront_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_storefront_token_company_id'))
        batch_op.drop_index(batch_op.f('ix_storefront_token_channel_id'))

    op.drop_table('storefront_token')
    op.drop_table('storefront_channel_warehouse')
    with op.batch_alter_table('pricelist_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pricelist_item_product_id'))
        batch_op.drop_index(batch_op.f('ix_pricelist_item_pricelist_id'))

    op.drop_table('pricelist_item')
    with op.batch_alter_table('storefront_channel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_storefront_channel_company_id'))

    op.drop_table('storefront_channel')
    with op.batch_alter_table('pricelist', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pricelist_company_id'))

    op.drop_table('pricelist')
