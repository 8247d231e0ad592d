package raftkv.sim;

import java.util.function.Consumer;

import raftkv.node.Reply;
import raftkv.node.Request;

/** How a simulated client reaches a node: both the request and the reply cross the network. */
interface ClientPort {
    int nodeCount();

    /** {@code onReply} runs at the client when (if) the reply arrives. */
    void send(int client, int node, Request request, Consumer<Reply> onReply);
}
