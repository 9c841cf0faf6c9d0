package io.memjcache.examples.springboot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application whose caches live in memcached through memjcache. Everything
 * memjcache-specific is configuration: {@code application.properties} names the provider and its
 * file, {@code memjcache.json} the servers and the caches' settings.
 */
@SpringBootApplication
@EnableCaching
public class BookshelfApplication {
  private static final Logger LOG = LoggerFactory.getLogger(BookshelfApplication.class);

  public static void main(String[] args) {
    SpringApplication.run(BookshelfApplication.class, args);
  }

  /** Says at startup which JCache manager (its configuration file's URI) holds which caches. */
  @Bean
  ApplicationRunner reportCaches(javax.cache.CacheManager jcache) {
    return args -> LOG.info("Spring caches {} are in the memjcache cache manager {}",
        jcache.getCacheNames(), jcache.getURI());
  }
}
