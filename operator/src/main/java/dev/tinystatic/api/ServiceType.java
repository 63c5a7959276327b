package dev.tinystatic.api;

/** The Kubernetes Service types a site can be exposed with. */
public enum ServiceType {
  ClusterIP,
  NodePort,
  LoadBalancer
}
