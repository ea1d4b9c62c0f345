/** The graph stage: CSR adjacency, the account–identifier graph with its weights and hub rule, graph files. */
export { csrFromEdges, csrBytes, type CsrGraph, type EdgeList } from './csr';
export {
  ACCOUNT_GRAPH_DEFAULTS,
  buildAccountGraph,
  identifierOfNode,
  linkWeight,
  resolveAccountGraphOptions,
  type AccountGraph,
  type AccountGraphOptions,
} from './account-graph';
export { readGraphFile, parseEdgeList, parseGml, type NamedGraph } from './graph-file';
