/** The X.509 library as one lazily required bundle (dist/x509.js); reflect-metadata must load first. */
import 'reflect-metadata';
export * from '@peculiar/x509';
