package dev.tuneup.cli; public final class Main { public static void main(String[] a) { System.out.println(ai.djl.engine.Engine.getInstance().getEngineName()); } }
