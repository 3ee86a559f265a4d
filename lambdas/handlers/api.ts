// Placeholder while the API handler is being written; replaced in the same change.
export const handler = async () => ({ statusCode: 503, body: 'not ready' });
