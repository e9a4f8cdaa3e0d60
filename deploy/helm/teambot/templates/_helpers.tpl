{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "teambot.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-<chart>, or the release name alone when it already contains the chart name. Leaves room
for the longest suffix the chart adds ("-gateway", "-worker-NN"). */}}
{{- define "teambot.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels every object carries. */}}
{{- define "teambot.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "teambot.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: teambot
{{- end -}}

{{/* Selector labels of one component: call with (dict "root" $ "component" "gateway"). */}}
{{- define "teambot.selectorLabels" -}}
app.kubernetes.io/name: {{ include "teambot.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "teambot.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "teambot.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding tokens and keys: the user's existingSecret or the chart's own. */}}
{{- define "teambot.secretName" -}}
{{- default (include "teambot.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "teambot.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The headless Service (and StatefulSet) name of the inference workers. */}}
{{- define "teambot.workerName" -}}
{{- printf "%s-worker" (include "teambot.fullname" .) -}}
{{- end -}}

{{/* How many workers gateways list in ENGINE_URLS: KEDA's maximum, or the fixed replica count. */}}
{{- define "teambot.workerSlots" -}}
{{- if .Values.worker.keda.enabled -}}
{{- .Values.worker.keda.maxReplicaCount -}}
{{- else -}}
{{- .Values.worker.replicas -}}
{{- end -}}
{{- end -}}

{{/* ENGINE_URLS: each worker pod's own DNS name under the headless Service, port 3000. */}}
{{- define "teambot.engineUrls" -}}
{{- $worker := include "teambot.workerName" . -}}
{{- $urls := list -}}
{{- range $i := until (int (include "teambot.workerSlots" .)) -}}
{{- $urls = append $urls (printf "http://%s-%d.%s.%s.svc.%s:3000" $worker $i $worker $.Release.Namespace $.Values.clusterDomain) -}}
{{- end -}}
{{- join "," $urls -}}
{{- end -}}

{{- define "teambot.redisEnabled" -}}
{{- if or .Values.redis.bundled.enabled .Values.redis.external.url .Values.redis.external.fromSecret -}}true{{- end -}}
{{- end -}}

{{/* host:port of Redis for KEDA. */}}
{{- define "teambot.redisAddress" -}}
{{- if .Values.redis.bundled.enabled -}}
{{- printf "%s-redis.%s.svc.%s:6379" (include "teambot.fullname" .) .Release.Namespace .Values.clusterDomain -}}
{{- else -}}
{{- required "worker.keda.enabled needs redis.external.address (host:port of your Redis, for KEDA's redis scaler)" .Values.redis.external.address -}}
{{- end -}}
{{- end -}}

{{/* One EnvVar reading a key of teambot's Secret. Call with (list $ "ENV_NAME" "SECRET_KEY" optional). */}}
{{- define "teambot.secretEnv" -}}
{{- $root := index . 0 -}}
- name: {{ index . 1 }}
  valueFrom:
    secretKeyRef:
      name: {{ include "teambot.secretName" $root }}
      key: {{ index . 2 }}
      optional: {{ index . 3 }}
{{- end -}}

{{/* Plain settings as EnvVars, sorted by name: `config` merged with a component's `env`. */}}
{{- define "teambot.plainEnv" -}}
{{- $env := merge (deepCopy .extra) .root.Values.config -}}
{{- range $name := keys $env | sortAlpha }}
- name: {{ $name }}
  value: {{ index $env $name | toString | quote }}
{{- end -}}
{{- end -}}

{{/* REDIS_URL, S3 settings and keys: what gateways (and, for Redis, workers) share. */}}
{{- define "teambot.storageEnv" -}}
{{- $root := .root -}}
{{- if $root.Values.redis.bundled.enabled }}
- name: REDIS_URL
  value: {{ printf "redis://%s-redis:6379" (include "teambot.fullname" $root) | quote }}
{{- else if or $root.Values.redis.external.url $root.Values.redis.external.fromSecret }}
{{- include "teambot.secretEnv" (list $root "REDIS_URL" "REDIS_URL" false) | nindent 0 }}
{{- end }}
{{- if .s3 }}
{{- if $root.Values.s3.bundled.enabled }}
- name: S3_BUCKET
  value: {{ default "teambot" $root.Values.s3.bucket | quote }}
- name: S3_ENDPOINT
  value: {{ printf "http://%s-minio:9000" (include "teambot.fullname" $root) | quote }}
- name: S3_REGION
  value: {{ $root.Values.s3.region | quote }}
- name: S3_FORCE_PATH_STYLE
  value: "true"
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ include "teambot.fullname" $root }}-minio
      key: MINIO_ROOT_USER
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "teambot.fullname" $root }}-minio
      key: MINIO_ROOT_PASSWORD
{{- else if $root.Values.s3.bucket }}
- name: S3_BUCKET
  value: {{ $root.Values.s3.bucket | quote }}
{{- with $root.Values.s3.endpoint }}
- name: S3_ENDPOINT
  value: {{ . | quote }}
{{- end }}
- name: S3_REGION
  value: {{ $root.Values.s3.region | quote }}
- name: S3_FORCE_PATH_STYLE
  value: {{ $root.Values.s3.forcePathStyle | toString | quote }}
{{- include "teambot.secretEnv" (list $root "AWS_ACCESS_KEY_ID" "AWS_ACCESS_KEY_ID" true) | nindent 0 }}
{{- include "teambot.secretEnv" (list $root "AWS_SECRET_ACCESS_KEY" "AWS_SECRET_ACCESS_KEY" true) | nindent 0 }}
{{- end }}
{{- with $root.Values.s3.publicEndpoint }}
- name: S3_PUBLIC_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Probes on /health (liveness, startup) and /ready (readiness). Call with (dict "startupSeconds" N). */}}
{{- define "teambot.probes" -}}
startupProbe:
  httpGet:
    path: /health
    port: http
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: {{ div .startupSeconds 5 | max 1 }}
livenessProbe:
  httpGet:
    path: /health
    port: http
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /ready
    port: http
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end -}}

{{/* Graceful shutdown: preStop sleep, then SIGTERM with SHUTDOWN_TIMEOUT_MS to finish, plus 10 s. */}}
{{- define "teambot.gracePeriod" -}}
{{- add .preStopSleepSeconds .timeoutSeconds 10 -}}
{{- end -}}

{{- define "teambot.lifecycle" -}}
lifecycle:
  preStop:
    exec:
      command: ["sleep", {{ .preStopSleepSeconds | toString | quote }}]
{{- end -}}

{{/* A generated secret value that survives upgrades: the value given, else the one already in the
release's Secret (lookup; empty under `helm template`), else 40 random characters.
Call with (list $ "<secret name>" "<KEY>" <given value>). */}}
{{- define "teambot.keepOrGenerate" -}}
{{- $root := index . 0 -}}
{{- $key := index . 2 -}}
{{- $given := index . 3 -}}
{{- if $given -}}
{{- $given -}}
{{- else -}}
{{- $old := lookup "v1" "Secret" $root.Release.Namespace (index . 1) -}}
{{- if and $old $old.data (hasKey $old.data $key) -}}
{{- index $old.data $key | b64dec -}}
{{- else -}}
{{- randAlphaNum 40 -}}
{{- end -}}
{{- end -}}
{{- end -}}
