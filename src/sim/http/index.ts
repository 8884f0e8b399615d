/** What a service module needs to answer HTTP: routes, requests, replies, errors, pages. */
export { Router, type Route, type RouteAuth, type Handler, type RouteMatch } from './router.js';
export { caller, type SimRequest, type AuthContext } from './request.js';
export { json, text, empty, stream, type SimReply } from './reply.js';
export { SimHttpError, badRequest, unauthorized, forbidden, notFound, conflict, notImplemented, unprocessable, renderError, statusTitle, type ErrorStyle } from './errors.js';
export { pageRequest, paginate, nextHref, type Page, type PageRequest } from './pagination.js';
export { sortedList } from './sorted-list.js';
