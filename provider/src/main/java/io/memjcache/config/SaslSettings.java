package io.memjcache.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * SASL authentication (memcached's binary protocol, {@code -S}): user, password and the mechanisms
 * allowed. Every connection authenticates before its first command, reconnects included. With no
 * mechanisms listed, the strongest one both sides support is used; a list pins the choice, in order
 * of preference. PLAIN sends the password as is, so over a connection without TLS it is refused
 * unless {@link Builder#allowPlainWithoutTls(boolean)} says otherwise.
 */
public final class SaslSettings {
  /** Mechanisms memjcache implements, strongest first. */
  public static final List<String> SUPPORTED_MECHANISMS = List.of("SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-MD5", "PLAIN");

  private final String username;
  private final Secret password;
  private final List<String> mechanisms;
  private final boolean allowPlainWithoutTls;

  private SaslSettings(Builder b) {
    this.username = b.username;
    this.password = b.password;
    this.mechanisms = List.copyOf(b.mechanisms);
    this.allowPlainWithoutTls = b.allowPlainWithoutTls;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.username = username;
    b.password = password;
    b.mechanisms = mechanisms;
    b.allowPlainWithoutTls = allowPlainWithoutTls;
    return b;
  }

  public String username() {
    return username;
  }

  public Secret password() {
    return password;
  }

  /** Allowed mechanisms in order of preference; empty = any supported, strongest first. */
  public List<String> mechanisms() {
    return mechanisms;
  }

  public boolean allowPlainWithoutTls() {
    return allowPlainWithoutTls;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SaslSettings)) {
      return false;
    }
    SaslSettings s = (SaslSettings) o;
    return username.equals(s.username) && password.equals(s.password) && mechanisms.equals(s.mechanisms)
        && allowPlainWithoutTls == s.allowPlainWithoutTls;
  }

  @Override
  public int hashCode() {
    return Objects.hash(username, password, mechanisms, allowPlainWithoutTls);
  }

  @Override
  public String toString() {
    return "SaslSettings{username=" + username + ", password=" + password + ", mechanisms="
        + (mechanisms.isEmpty() ? "strongest" : mechanisms) + ", allowPlainWithoutTls=" + allowPlainWithoutTls + "}";
  }

  /** Builds {@link SaslSettings}. */
  public static final class Builder {
    private String username;
    private Secret password;
    private List<String> mechanisms = List.of();
    private boolean allowPlainWithoutTls;

    private Builder() {}

    public Builder username(String username) {
      Objects.requireNonNull(username, "username");
      if (username.isEmpty()) {
        throw new IllegalArgumentException("username must not be empty");
      }
      this.username = username;
      return this;
    }

    public Builder password(Secret password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** Pins the mechanisms, in order of preference (names as in {@link #SUPPORTED_MECHANISMS}). */
    public Builder mechanisms(List<String> mechanisms) {
      Objects.requireNonNull(mechanisms, "mechanisms");
      List<String> normalized = new java.util.ArrayList<>();
      for (String mechanism : mechanisms) {
        String name = Objects.requireNonNull(mechanism, "mechanism").trim().toUpperCase(Locale.ROOT);
        if (!SUPPORTED_MECHANISMS.contains(name)) {
          throw new IllegalArgumentException("unsupported SASL mechanism '" + mechanism + "'; supported: "
              + SUPPORTED_MECHANISMS);
        }
        normalized.add(name);
      }
      this.mechanisms = List.copyOf(normalized);
      return this;
    }

    /** Allow PLAIN on a connection without TLS (the password then crosses the network in clear). */
    public Builder allowPlainWithoutTls(boolean allow) {
      this.allowPlainWithoutTls = allow;
      return this;
    }

    public SaslSettings build() {
      if (username == null) {
        throw new IllegalArgumentException("SASL needs a username");
      }
      if (password == null) {
        throw new IllegalArgumentException("SASL needs a password");
      }
      return new SaslSettings(this);
    }
  }
}
