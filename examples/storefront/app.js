// An example storefront over the public GraphQL API only: a storefront token (publishable
// key, given as ?token=...) identifies the channel on every request.
"use strict";

const TOKEN = new URLSearchParams(location.search).get("token") || localStorage.getItem("storefrontToken");
const CART_KEY = "cartToken";
const $ = (id) => document.getElementById(id);
let cart = null;
let endCursor = null;

async function graphql(query, variables = {}) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data;
}

const CART = `token total { amount currency } items { product { name } quantity total { amount } }`;

async function loadChannel() {
  const data = await graphql(`{ storefrontChannel { name currency }
    storefrontDeliveryMethods { id name rate { amount currency } } }`);
  $("channel").textContent = data.storefrontChannel.name;
  $("delivery").innerHTML = data.storefrontDeliveryMethods
    .map((m) => `<option value="${m.id}">${m.name} (${m.rate.amount} ${m.rate.currency})</option>`)
    .join("");
}

async function loadProducts(append = false) {
  const data = await graphql(
    `query($search: String, $after: String) {
      storefrontProducts(first: 12, after: $after, filter: {search: $search}) {
        pageInfo { hasNextPage endCursor }
        edges { node { id sku name price { amount currency } inStock availableQuantity } } } }`,
    { search: $("search").value || null, after: append ? endCursor : null },
  );
  const page = data.storefrontProducts;
  endCursor = page.pageInfo.endCursor;
  $("more").hidden = !page.pageInfo.hasNextPage;
  const html = page.edges.map(({ node }) => `
    <div class="product" data-sku="${node.sku}">
      <h3>${node.name}</h3>
      <p class="price">${node.price.amount} ${node.price.currency}</p>
      <p class="stock ${node.inStock ? "" : "out"}">${node.inStock ? `${node.availableQuantity} in stock` : "Out of stock"}</p>
      <button class="add" data-id="${node.id}" ${node.inStock ? "" : "disabled"}>Add to cart</button>
    </div>`).join("");
  $("products").innerHTML = append ? $("products").innerHTML + html : html;
}

function showCart() {
  $("cart-items").innerHTML = (cart ? cart.items : [])
    .map((i) => `<li>${i.quantity} × ${i.product.name}: ${i.total.amount}</li>`).join("");
  $("cart-total").textContent = cart ? `${cart.total.amount} ${cart.total.currency}` : "0.00";
}

function payloadErrors(payload) {
  if (payload.errors.length) throw new Error(payload.errors.map((e) => e.message).join("; "));
  return payload;
}

async function addToCart(productId) {
  const line = [{ productId, quantity: "1" }];
  if (cart && cart.token) {
    const data = await graphql(`mutation($t: String!, $l: [CartLineInput!]!) {
      cartLinesAdd(token: $t, lines: $l) { cart { ${CART} } errors { message } } }`, { t: cart.token, l: line });
    cart = payloadErrors(data.cartLinesAdd).cart;
  } else {
    const data = await graphql(`mutation($l: [CartLineInput!]!) {
      cartCreate(input: {lines: $l}) { cart { ${CART} } errors { message } } }`, { l: line });
    cart = payloadErrors(data.cartCreate).cart;
  }
  localStorage.setItem(CART_KEY, cart.token);
  showCart();
}

async function restoreCart() {
  const token = localStorage.getItem(CART_KEY);
  if (!token) return;
  const data = await graphql(`query($t: String!) { storefrontCart(token: $t) { state ${CART} } }`, { t: token });
  cart = data.storefrontCart && data.storefrontCart.state === "OPEN" ? data.storefrontCart : null;
  showCart();
}

async function checkout(event) {
  event.preventDefault();
  $("checkout-error").textContent = "";
  try {
    if (!cart) throw new Error("The cart is empty.");
    const address = { name: $("name").value, street: $("street").value, city: $("city").value, countryCode: $("country").value };
    const updated = await graphql(`mutation($t: String!, $input: CartInput!) {
      cartUpdate(token: $t, input: $input) { cart { ${CART} } errors { message } } }`,
      { t: cart.token, input: { email: $("email").value, shipping: address, billing: address, deliveryMethodId: $("delivery").value } });
    cart = payloadErrors(updated.cartUpdate).cart;
    showCart();
    const done = await graphql(`mutation($input: CheckoutInput!) {
      checkoutComplete(input: $input) { order { name total { amount currency } } errors { code message } } }`,
      { input: { token: cart.token, expectedTotal: cart.total.amount, paymentProvider: "test", cardNumber: $("card").value, idempotencyKey: `checkout-${cart.token}` } });
    const order = payloadErrors(done.checkoutComplete).order;
    $("order").textContent = `Thank you! Order ${order.name} (${order.total.amount} ${order.total.currency}) is placed.`;
    localStorage.removeItem(CART_KEY);
    cart = null;
    showCart();
    await loadProducts();
  } catch (error) {
    $("checkout-error").textContent = error.message;
  }
}

async function start() {
  if (!TOKEN) {
    $("message").textContent = "Open this page with ?token=<storefront token> (erp demo prints one).";
    return;
  }
  localStorage.setItem("storefrontToken", TOKEN);
  $("products").addEventListener("click", (event) => {
    const button = event.target.closest("button.add");
    if (button) addToCart(button.dataset.id).catch((error) => { $("message").textContent = error.message; });
  });
  $("search-form").addEventListener("submit", (event) => { event.preventDefault(); loadProducts(); });
  $("search").addEventListener("input", () => loadProducts().catch(() => {}));
  $("more").addEventListener("click", () => loadProducts(true));
  $("checkout-form").addEventListener("submit", checkout);
  try {
    await Promise.all([loadChannel(), loadProducts(), restoreCart()]);
    document.body.dataset.ready = "true";
  } catch (error) {
    $("message").textContent = error.message;
  }
}

start();
