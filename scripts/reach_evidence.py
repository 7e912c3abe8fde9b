"""The runtime behind IL110's findings in mmdet 3.3.0: built with the released code on the CPU
(`mmcv-lite` and the stubs of `mmstubs.py` for the compiled ops), each model's `init_weights()`
leaves the BaseModules its torch container holds uninitialised. docs/runtime-facts.md and the
reviewed list of tests/test_corpus.py quote this output.

    pip install 'mmcv-lite==2.1.0' mmdet==3.3.0 mmpretrain==1.2.0
    python scripts/reach_evidence.py
"""

from __future__ import annotations

import logging
import warnings

import mmstubs


def main() -> None:
    mmstubs.install()
    warnings.simplefilter("ignore")
    from mmengine.logging import MMLogger

    MMLogger.get_current_instance().setLevel(logging.CRITICAL)
    from mmdet.models.backbones.trident_resnet import TridentConv, TridentResNet
    from mmdet.models.reid.fc_module import FcModule
    from mmdet.models.reid.linear_reid_head import LinearReIDHead

    # trident_resnet.py:231: the trident stage is a torch nn.Sequential.
    model = TridentResNet(
        depth=50,
        num_branch=3,
        test_branch_idx=1,
        trident_dilations=(1, 2, 3),
        num_stages=3,
        strides=(1, 2, 2),
        dilations=(1, 1, 1),
        out_indices=(2,),
    )
    convs = [m for m in model.modules() if isinstance(m, TridentConv)]
    model.init_weights()
    print(
        f"TridentResNet: layer3 is {type(model.layer3).__module__}."
        f"{type(model.layer3).__name__}; init_weights() ran; TridentConv is_init: "
        f"{sorted({c.is_init for c in convs})} ({len(convs)} of them)"
    )
    try:
        convs[0].init_weights()
        print("TridentConv.init_weights() alone: ran")
    except RuntimeError as exc:
        print(f"TridentConv.init_weights() alone: RuntimeError({str(exc)[:60]!r}...)")

    # linear_reid_head.py:97: the FcModules are appended to a torch nn.ModuleList.
    head = LinearReIDHead(
        num_fcs=1,
        in_channels=2048,
        fc_channels=1024,
        out_channels=128,
        num_classes=10,
        norm_cfg=dict(type="BN1d"),
        act_cfg=dict(type="ReLU"),
        loss_cls=dict(type="mmpretrain.CrossEntropyLoss", loss_weight=1.0),
    )
    head.init_weights()
    fc = head.fcs[0]
    alone = FcModule(2048, 1024, norm_cfg=dict(type="BN1d"), act_cfg=dict(type="ReLU"))
    alone.init_weights()
    print(
        f"LinearReIDHead: FcModule init_cfg {fc.init_cfg}, is_init {fc.is_init}, fc weight std "
        f"{float(fc.fc.weight.detach().std()):.3f} (the head's Normal(std=0.01)); FcModule "
        f"initialised on its own: std {float(alone.fc.weight.detach().std()):.3f}"
    )


if __name__ == "__main__":
    main()
