/** The detect stage: components, Leiden, the graphology Louvain adapter, campaign grouping. */
export { weaklyConnectedComponents, COMPONENT_DEFAULTS, type ComponentOptions, type Components } from './components';
export { leiden, leidenDetailed, LEIDEN_DEFAULTS, type LeidenOptions, type LeidenResult } from './leiden';
export { louvainDetailed, toGraphology, LOUVAIN_DEFAULTS, type LouvainOptions, type LouvainResult } from './louvain';
export { modularity } from './modularity';
export { CAMPAIGN_DEFAULTS, type CampaignOptions } from './campaigns';
export {
  detectClusters,
  embeddedEngine,
  DETECT_DEFAULTS,
  DETECT_ALGORITHMS,
  type DetectOptions,
  type DetectAlgorithm,
} from './detect-clusters';
export { detectGraphFile, type GraphDetection } from './detect-graph-file';
