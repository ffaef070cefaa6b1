/** The id of the MCP server definition provider, contributed under `mcpServerDefinitionProviders` in package.json. */
export const MCP_PROVIDER_ID = 'rewind.mcpServers';
