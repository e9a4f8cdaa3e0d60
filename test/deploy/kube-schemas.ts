/**
 * Validates rendered objects against Kubernetes' schemas: the npm packages of kubernetes-models-ts
 * (github.com/tommy351/kubernetes-models-ts), whose validators are generated from Kubernetes' OpenAPI
 * spec (kubernetes-models 4.5.1: the API of Kubernetes 1.33) and from the CRDs of KEDA
 * (@kubernetes-models/keda 0.4.2) and the Prometheus Operator (@kubernetes-models/prometheus-operator
 * 4.4.4). They check types, required fields, enums and formats; like the OpenAPI spec, they do not
 * reject unknown fields, which `unknownFields` below does for the fields of the objects the chart uses.
 */
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import {
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import type { Manifest } from './chart.js';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

const MODELS: Record<string, ModelClass> = {
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

/** Schema errors of one object ([] when valid); an object of a kind without a schema is an error. */
export function schemaErrors(object: Manifest): string[] {
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  const where = `${object.kind} ${object.metadata?.name}`;
  if (model === undefined) return [`${where}: no schema for ${object.apiVersion} ${object.kind}`];
  try {
    new model(object as never).validate();
    return [];
  } catch (error) {
    return [`${where}: ${(error as Error).message}`];
  }
}
