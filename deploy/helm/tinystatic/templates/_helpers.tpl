{{/* Chart name, shortened to fit a label value. */}}
{{- define "tinystatic.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of the release's objects: the release name, or release-chart when it lacks the chart name. */}}
{{- define "tinystatic.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels that pick the operator pods (never a site's pods: those carry component=server). */}}
{{- define "tinystatic.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tinystatic.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{/* Labels on every object of the chart. */}}
{{- define "tinystatic.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "tinystatic.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "tinystatic.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tinystatic.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Who the Roles are granted to: the operator's ServiceAccount. */}}
{{- define "tinystatic.subjects" -}}
- kind: ServiceAccount
  name: {{ include "tinystatic.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
{{- end }}

{{- define "tinystatic.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* "true" when replicas must elect a leader: more than one, or asked for. */}}
{{- define "tinystatic.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicaCount) 1) }}true{{ else }}false{{ end }}
{{- end }}

{{/*
What the operator needs in every namespace it watches: exactly
dev.tinystatic.runtime.Permissions.watched() (SITES, OWNED, EXPOSURE, EVENTS), one rule per entry.
deploy/src/test/.../RbacTest fails when these and the Java list differ.
Delete only on what a live site drops: past revisions (Deployments, ConfigMaps), a PodDisruptionBudget
below 2 replicas, an Ingress or HTTPRoute whose field is removed; the rest is garbage-collected
through ownerReferences.
*/}}
{{- define "tinystatic.watchedRules" -}}
- apiGroups: ["tinystatic.dev"]
  resources: ["tinystaticsites"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["tinystatic.dev"]
  resources: ["tinystaticsites/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "update", "patch"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["httproutes"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{/* Values that only make sense with a registry. */}}
{{- define "tinystatic.checkRegistry" -}}
{{- $r := .Values.registry }}
{{- if and (not $r.url) (or $r.pullPrefix $r.insecure $r.credentialsSecret) }}
{{- fail "registry.pullPrefix, registry.insecure and registry.credentialsSecret need registry.url" }}
{{- end }}
{{- end }}
