"""The init_cfg grammar: Pydantic models of the runtime's initializers (`models`), `type`
resolution (`types`), the JSON Schema (`schema`), and what the runtime knows of layers and
checkpoints (`layers`, `checkpoints`). Import the module you need: the models cost a Pydantic
import that a cached run never pays."""
