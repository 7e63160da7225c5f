"""The ``_schemas`` topic as the registry's write-ahead log.

One partition, compacted, so the latest record per key is the state and the
order of records is the order every reader applies them in. A reader thread
follows the topic for the life of the process and hands each batch to the
event loop, so the Store is only ever touched from one thread.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence

from confluent_kafka import (
    Consumer,
    KafkaError,
    KafkaException,
    Message,
    Producer,
    TopicPartition,
)

# Public names, but confluent_kafka.admin has no __all__ for strict mypy to see them in.
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

from orderflow.access import KafkaAccess
from orderflow.registry.errors import ErrorCode, RegistryError
from orderflow.registry.records import CorruptRecord, Record, decode, encode
from orderflow.registry.store import Store

log = logging.getLogger(__name__)

Raw = tuple[bytes | None, bytes | None, int]


class KafkaLog:
    def __init__(
        self, store: Store, kafka: KafkaAccess, topic: str, timeout_s: float = 10.0
    ) -> None:
        self.store = store
        self._kafka = kafka
        self._topic = topic
        self._timeout_s = timeout_s
        self._position = 0  # next offset the store has not seen
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._outcomes: dict[int, bool] = {}
        self._watching = False  # an append is waiting for its records' outcomes
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        await asyncio.to_thread(self._ensure_topic)
        self._producer = Producer(
            self._kafka.config(
                {
                    "enable.idempotence": True,
                    "linger.ms": 0,
                    "message.timeout.ms": int(self._timeout_s * 1000),
                }
            )
        )
        group = f"orderflow-registry-{uuid.uuid4()}"  # never joins: partitions are assigned
        reader = self._kafka.config({"group.id": group, "enable.auto.commit": False})
        self._consumer = Consumer({**reader, "fetch.wait.max.ms": 100})
        self._consumer.assign([TopicPartition(self._topic, 0, 0)])
        self._probe = Consumer(reader)
        self._thread = threading.Thread(target=self._read, name="schemas-reader", daemon=True)
        self._thread.start()
        await self.catch_up()

    async def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join)
            self._consumer.close()
            self._probe.close()
            self._producer.flush(self._timeout_s)

    def _ensure_topic(self) -> None:
        admin = AdminClient(self._kafka.config())
        metadata = admin.list_topics(timeout=self._timeout_s)
        existing = metadata.topics.get(self._topic)
        if existing is not None and existing.error is None:
            if len(existing.partitions) != 1:
                raise RuntimeError(f"topic {self._topic} must have exactly one partition")
            return
        replicas = min(3, len(metadata.brokers))
        topic = NewTopic(
            self._topic,
            num_partitions=1,
            replication_factor=replicas,
            config={"cleanup.policy": "compact"},
        )
        try:
            admin.create_topics([topic])[self._topic].result(self._timeout_s)
        except KafkaException as error:
            if error.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise

    # --- reading: a thread follows the topic, the loop applies -----------

    def _read(self) -> None:
        while not self._stopping.is_set():
            try:
                # consume() waits for its whole batch or the timeout, which would
                # add the timeout to every write; poll for one, then drain.
                first = self._consumer.poll(0.2)
                if first is None:
                    continue
                messages = [first, *self._consumer.consume(num_messages=1000, timeout=0)]
            except KafkaException:
                log.exception("reading %s failed; retrying", self._topic)
                continue
            batch: list[Raw] = []
            for message in messages:
                error, offset = message.error(), message.offset()
                if error is not None or offset is None:
                    log.warning("reading %s: %s", self._topic, error)
                    continue
                batch.append((message.key(), message.value(), offset))
            if batch:
                self._loop.call_soon_threadsafe(self._apply, batch)

    def _apply(self, batch: list[Raw]) -> None:
        for key, value, offset in batch:
            accepted = True
            try:
                record = None if key is None else decode(key, value)
                if record is not None:
                    accepted = self.store.apply(record)
            except (CorruptRecord, RegistryError) as error:
                log.warning("skipped record at offset %d of %s: %s", offset, self._topic, error)
            if self._watching:
                self._outcomes[offset] = accepted
            self._position = offset + 1
        still = []
        for target, future in self._waiters:
            if target < self._position:
                if not future.done():
                    future.set_result(None)
            else:
                still.append((target, future))
        self._waiters = still

    async def _applied(self, offset: int) -> None:
        if offset < self._position:
            return
        future: asyncio.Future[None] = self._loop.create_future()
        self._waiters.append((offset, future))
        try:
            await asyncio.wait_for(future, self._timeout_s)
        except TimeoutError:
            raise RegistryError(
                ErrorCode.OPERATION_TIMEOUT,
                f"Write to {self._topic} was not read back within {self._timeout_s}s",
            ) from None

    async def catch_up(self) -> None:
        end = await asyncio.to_thread(self._end_offset)
        if end > 0:
            await self._applied(end - 1)

    def _end_offset(self) -> int:
        deadline = time.monotonic() + self._timeout_s
        partition = TopicPartition(self._topic, 0)
        while True:
            try:
                _low, high = self._probe.get_watermark_offsets(partition, timeout=self._timeout_s)
                return int(high)
            except KafkaException as error:
                # A topic created a moment ago may not be known to every broker yet.
                if time.monotonic() > deadline:
                    raise RegistryError(
                        ErrorCode.STORE_ERROR, f"Cannot read {self._topic}: {error}"
                    ) from None
                time.sleep(0.1)

    # --- writing ----------------------------------------------------------

    async def append(self, records: Sequence[Record]) -> list[bool]:
        """Produce, then wait for our own records to come back through the reader.

        While watching, the reader notes whether the store accepted each record
        it applies; we take ours out. Registry holds one lock around every
        write, so only one append is ever in flight.
        """
        self._outcomes.clear()
        self._watching = True
        try:
            offsets = await asyncio.to_thread(self._produce, [encode(r) for r in records])
            await self._applied(max(offsets))
            return [self._outcomes.get(o, False) for o in offsets]
        finally:
            self._watching = False
            self._outcomes.clear()

    def _produce(self, encoded: list[tuple[bytes, bytes | None]]) -> list[int]:
        results: list[int | KafkaError | None] = [None] * len(encoded)

        def delivered(index: int) -> Callable[[KafkaError | None, Message], None]:
            def callback(error: KafkaError | None, message: Message) -> None:
                results[index] = error if error is not None else message.offset()

            return callback

        for index, (key, value) in enumerate(encoded):
            self._producer.produce(
                self._topic, key=key, value=value, partition=0, on_delivery=delivered(index)
            )
        if self._producer.flush(self._timeout_s) > 0:
            raise RegistryError(ErrorCode.OPERATION_TIMEOUT, "Write to the schema log timed out")
        offsets = []
        for result in results:
            if not isinstance(result, int):
                raise RegistryError(ErrorCode.STORE_ERROR, f"Error while storing: {result}")
            offsets.append(result)
        return offsets
